package dev.mooring.host.deploy;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;

/**
 * The limits {@link ScriptUpload#parse} enforces on one upload. Every limit is checked before the
 * work it bounds, so an oversized upload costs at most one pass over the body that the caller
 * has already read.
 *
 * @param maxBodyBytes       maximum size of the whole request body, in bytes
 * @param maxModules         maximum number of module parts, not counting the metadata part
 * @param maxModuleBytes     maximum size of one module part's content, in bytes
 * @param maxMetadataBytes   maximum size of the metadata part, in bytes
 * @param maxPartHeaderBytes maximum size of one part's header block, in bytes
 */
public record UploadLimits(long maxBodyBytes, int maxModules, long maxModuleBytes, long maxMetadataBytes,
        int maxPartHeaderBytes) {

    /**
     * Default maximum body size: 10 MiB. Cloudflare documents 10 MB as the largest Worker on its
     * paid plan, measured after compression; Mooring measures the uncompressed body.
     */
    public static final long DEFAULT_MAX_BODY_BYTES = 10L << 20;

    /**
     * Default maximum number of modules: 1000. Cloudflare documents no such limit. This one bounds
     * the per-module work of parsing, storing and mounting a version, so that thousands of tiny
     * parts cannot cost far more than their bytes suggest.
     */
    public static final int DEFAULT_MAX_MODULES = 1000;

    /** Default maximum size of one module: 5 MiB, half the default body limit. */
    public static final long DEFAULT_MAX_MODULE_BYTES = 5L << 20;

    /**
     * Default maximum size of the metadata part: 1 MiB. Cloudflare allows at most 128 variables of
     * at most 5 KB each (Workers limits page), about 640 KB, so valid metadata stays well below it.
     */
    public static final long DEFAULT_MAX_METADATA_BYTES = 1L << 20;

    /** Default maximum size of one part's header block: 8 KiB, a common limit for HTTP header blocks. */
    public static final int DEFAULT_MAX_PART_HEADER_BYTES = 8 << 10;

    /**
     * Maximum length of a module name, in UTF-8 bytes: 512. Not configurable, because stored
     * versions and error messages rely on it.
     */
    public static final int MAX_MODULE_NAME_BYTES = 512;

    /** The default limits. */
    public static final UploadLimits DEFAULTS = new UploadLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_MODULES,
            DEFAULT_MAX_MODULE_BYTES, DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_PART_HEADER_BYTES);

    // A byte[] body contains at most this many bytes on HotSpot.
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    public UploadLimits {
        requirePositive("maxBodyBytes", maxBodyBytes);
        requirePositive("maxModules", maxModules);
        requirePositive("maxModuleBytes", maxModuleBytes);
        requirePositive("maxMetadataBytes", maxMetadataBytes);
        requirePositive("maxPartHeaderBytes", maxPartHeaderBytes);
        if (maxBodyBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes is " + maxBodyBytes + ", but a body is read into one array "
                    + "of at most " + MAX_ARRAY_BYTES + " bytes");
        }
    }

    /** Returns the limits set by the upload options of {@link HostOptions#UPLOAD_LIMITS}, or their defaults. */
    public static UploadLimits from(OptionParser.Parsed options) {
        long maxBody = options.get(HostOptions.MAX_UPLOAD_BODY);
        long maxModuleBytes = options.get(HostOptions.MAX_UPLOAD_MODULE_SIZE);
        long maxMetadata = options.get(HostOptions.MAX_UPLOAD_METADATA);
        int maxModules = options.get(HostOptions.MAX_UPLOAD_MODULES);
        return new UploadLimits(maxBody, maxModules, maxModuleBytes, maxMetadata, DEFAULT_MAX_PART_HEADER_BYTES);
    }

    public UploadLimits withMaxBodyBytes(long bytes) {
        return new UploadLimits(bytes, maxModules, maxModuleBytes, maxMetadataBytes, maxPartHeaderBytes);
    }

    public UploadLimits withMaxModules(int count) {
        return new UploadLimits(maxBodyBytes, count, maxModuleBytes, maxMetadataBytes, maxPartHeaderBytes);
    }

    public UploadLimits withMaxModuleBytes(long bytes) {
        return new UploadLimits(maxBodyBytes, maxModules, bytes, maxMetadataBytes, maxPartHeaderBytes);
    }

    public UploadLimits withMaxMetadataBytes(long bytes) {
        return new UploadLimits(maxBodyBytes, maxModules, maxModuleBytes, bytes, maxPartHeaderBytes);
    }

    public UploadLimits withMaxPartHeaderBytes(int bytes) {
        return new UploadLimits(maxBodyBytes, maxModules, maxModuleBytes, maxMetadataBytes, bytes);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be greater than zero, not " + value);
        }
    }
}
