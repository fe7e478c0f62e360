package dev.mooring.runtime.compression;

/** The formats of the Compression Streams standard, by the names that JS passes. */
public enum CompressionFormat {
    /** A gzip member (RFC 1952): a header, raw deflate data, then the CRC-32 and size of the data. */
    GZIP("gzip"),
    /** The zlib format (RFC 1950): a two-byte header, raw deflate data, then an Adler-32 checksum. */
    DEFLATE("deflate"),
    /** Raw deflate data (RFC 1951) with no header or checksum. */
    DEFLATE_RAW("deflate-raw");

    private final String jsName;

    CompressionFormat(String jsName) {
        this.jsName = jsName;
    }

    /** Returns the format that JS calls {@code name}, or null when there is none. */
    public static CompressionFormat named(String name) {
        for (CompressionFormat format : values()) {
            if (format.jsName.equals(name)) {
                return format;
            }
        }
        return null;
    }

    /** Returns whether zlib's own header and checksum are left out, the {@code nowrap} of {@code Deflater} and {@code Inflater}. */
    boolean nowrap() {
        return this != DEFLATE;
    }
}
