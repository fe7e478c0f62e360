package dev.mooring.host.objects;

import dev.mooring.host.logging.ObjectLabels;

/** Names one object: its namespace and its ID. */
record ObjectKey(ObjectNamespace namespace, ObjectId id) {

    /** Returns the label that log lines use for this object: its class and the first hex digits of its ID. */
    String describe() {
        return namespace.className() + " " + ObjectLabels.shortId(id.hex());
    }
}
