/**
 * The legacy decoders of the WHATWG Encoding Standard behind the runtime's {@code TextDecoder}:
 * its single-byte encodings and Shift_JIS, EUC-JP, ISO-2022-JP, EUC-KR, GBK, gb18030 and Big5.
 * Each decoder runs the standard's algorithm byte by byte, so invalid input is replaced or
 * rejected exactly where the standard specifies. The JDK's charsets provide the code point tables
 * ({@link dev.mooring.runtime.encoding.Indexes}). {@link dev.mooring.runtime.encoding.LegacyDecoder}
 * is the object that JS keeps for one {@code TextDecoder}.
 */
package dev.mooring.runtime.encoding;
