/**
 * The zlib work behind the runtime's {@code CompressionStream} and {@code DecompressionStream}:
 * the formats "gzip" (RFC 1952), "deflate" (the zlib format of RFC 1950) and "deflate-raw" (RFC
 * 1951), done with {@link java.util.zip.Deflater} and {@link java.util.zip.Inflater}.
 * {@link dev.mooring.runtime.compression.ZlibStream} is the object that JS holds for one stream.
 */
package dev.mooring.runtime.compression;
