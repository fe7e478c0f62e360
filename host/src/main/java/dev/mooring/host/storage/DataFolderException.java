package dev.mooring.host.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A data folder that cannot hold the store: the path names a file, or the folder cannot be created or opened. */
public final class DataFolderException extends RuntimeException {

    public DataFolderException(Path folder, IOException cause) {
        super("cannot use " + folder + " as the data folder (--data): " + reasonOf(folder, cause)
                + "; give a folder that this user can create and write", cause);
    }

    private static String reasonOf(Path folder, IOException cause) {
        if (cause instanceof FileAlreadyExistsException || (Files.exists(folder) && !Files.isDirectory(folder))) {
            return "it is a file, not a folder";
        }
        if (cause instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (cause instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist and cannot be created";
        }
        if (cause instanceof FileSystemException failed && failed.getReason() != null) {
            return failed.getReason();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
