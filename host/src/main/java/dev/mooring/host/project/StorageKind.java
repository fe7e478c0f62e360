package dev.mooring.host.project;

/** The storage backend a Durable Object class was created with; a migration fixes it for good. */
public enum StorageKind {
    /** Declared in {@code new_classes}: the key-value backend, with its per-key and per-value limits. */
    KEY_VALUE,
    /** Declared in {@code new_sqlite_classes}: the SQLite backend, which also offers the SQL API. */
    SQLITE
}
