package dev.mooring.host.storage;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Failure to open a store because another process has locked its folder. Two hosts on one folder
 * would each run their own instance of the same object and overwrite each other's writes, so the
 * second one must not start.
 */
public final class StoreInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final OptionalLong holderPid;

    StoreInUseException(Path directory, OptionalLong holderPid) {
        super("The storage folder " + directory + " is in use by another process"
                + (holderPid.isPresent() ? " (PID " + holderPid.getAsLong() + ")" : "")
                + "; only one Mooring host may use a storage folder at a time");
        this.directory = directory;
        this.holderPid = holderPid;
    }

    /** Returns the folder that the other process has locked. */
    public Path directory() {
        return directory;
    }

    /** Returns the PID that the other process wrote into the lock file, when it could be read. */
    public OptionalLong holderPid() {
        return holderPid;
    }
}
