package dev.mooring.host.objects;

import dev.mooring.sandbox.GuestTaskOwner;
import java.util.function.Consumer;

/**
 * A task owner that also receives the completions of I/O its guest code started (a stub
 * response, a storage sync). Completions run as tasks of their own, through the owner, so their
 * guest code is charged to it and, for an object, waits behind a closed input gate unless the I/O
 * was started inside the critical section.
 */
interface CallbackOwner extends GuestTaskOwner {

    /** Called when guest code starts I/O; the returned tag comes back with its completion. */
    Object ioStarted();

    /** Runs a completion's guest code, now or later, or drops it if the owner is gone. */
    void completeIo(Object tag, Runnable guestCode);

    /**
     * Records an invocation of one of the owner's callbacks over RPC, until {@link
     * #callbackReplied}. If the owner is reset or stopped first, it calls {@code fail} with the
     * reason, so that the receiver's promise settles.
     */
    void callbackStarted(Consumer<EventFailure> fail);

    /** Forgets an invocation that {@link #callbackStarted} recorded, once it replied. */
    void callbackReplied(Consumer<EventFailure> fail);
}
