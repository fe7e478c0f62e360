package dev.mooring.host.storage;

/**
 * An object's alarm as it is stored.
 *
 * @param objectId the object's 32-byte id
 * @param scheduledTime when it is due, in ms since the epoch
 * @param objectName the name the object's ID was made from, or null
 */
public record StoredAlarm(byte[] objectId, long scheduledTime, String objectName) {
}
