package dev.mooring.host.objects;

/** Names one object: its namespace and its ID. */
record ObjectKey(ObjectNamespace namespace, ObjectId id) {

    /** A short label for logs: the class and the first 12 hex digits of the ID. */
    String describe() {
        return namespace.className() + " " + id.hex().substring(0, 12);
    }
}
