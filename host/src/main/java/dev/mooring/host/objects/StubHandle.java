package dev.mooring.host.objects;

/**
 * The host side of one {@code DurableObjectStub}: the object it calls, and the object instance
 * its first call reached. Once that instance is reset, every later call through the stub fails,
 * as in workerd; the guest gets a new stub from {@code namespace.get(id)} to reach the new
 * instance. An instance that was merely evicted does not break its stubs.
 *
 * <p>Guest code sees this only as an opaque handle. {@link #boundActor} is read and written only
 * on the target object's event loop.
 */
final class StubHandle {

    final ObjectKey target;
    final String objectName;
    ObjectActor boundActor;

    /** @param objectName the name the ID was derived from, or null for IDs made otherwise */
    StubHandle(ObjectKey target, String objectName) {
        this.target = target;
        this.objectName = objectName;
    }
}
