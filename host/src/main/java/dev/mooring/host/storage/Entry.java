package dev.mooring.host.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored key and its value. The value is opaque to storage: the JS layer serializes it.
 * Equality compares the value's contents, not the array's identity.
 */
public record Entry(String key, byte[] value) {

    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Entry[key=" + key + ", value=" + value.length + " bytes]";
    }
}
