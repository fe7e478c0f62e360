package dev.mooring.host.deploy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code multipart/form-data} body split into its parts, following RFC 7578 and the multipart
 * syntax of RFC 2046.
 *
 * <p>What it accepts: a boundary parameter, quoted or not, of 1 to 70 characters; a preamble
 * before the first delimiter line and an epilogue after the closing one, both ignored; spaces
 * and tabs after a boundary (transport padding); part headers in UTF-8, as RFC 7578 allows for
 * field names. Each part needs {@code Content-Disposition: form-data; name="..."}; the
 * {@code filename} parameter and {@code Content-Type} header are kept when present. Content is
 * binary and may contain anything except a line that starts with the delimiter.
 *
 * <p>What it rejects, each with a message that names the part: a missing or invalid boundary,
 * lines that end in LF alone, a body without the closing delimiter, a part without
 * Content-Disposition or without a name, a folded or malformed header line, a header block over
 * the limit, more parts than the limit, and a {@code Content-Transfer-Encoding} other than
 * 7bit, 8bit or binary (RFC 7578 deprecates encodings; no client that uploads Workers uses one).
 *
 * <p>Parsing runs on the calling thread and keeps no state between calls; the result is
 * immutable except for the part content arrays, which callers must not modify. Each part's
 * content is copied out of the body.
 */
public final class MultipartForm {

    /**
     * One part of the body.
     *
     * @param number      the part's position in the body, starting at 1, for messages
     * @param name        the {@code name} parameter of its Content-Disposition
     * @param filename    the {@code filename} parameter, or null when absent
     * @param contentType the Content-Type header's value as sent, or null when absent
     * @param content     the part's content
     */
    public record Part(int number, String name, String filename, String contentType, byte[] content) {
        public Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }

        /** Describes the part for messages, such as {@code part 2 ("worker.js")}. */
        public String describe() {
            return "part " + number + " (\"" + name + "\")";
        }
    }

    /**
     * The limits of one parse.
     *
     * @param maxParts            maximum number of parts
     * @param maxHeaderBlockBytes maximum size of one part's header block, in bytes, without the
     *                            empty line that ends it
     * @param maxPartsExplanation completes the message when there are too many parts: what the
     *                            parts are for and what to do, such as "one metadata part and at
     *                            most 1000 modules; ..."
     */
    public record Limits(int maxParts, int maxHeaderBlockBytes, String maxPartsExplanation) {
        public Limits {
            Objects.requireNonNull(maxPartsExplanation, "maxPartsExplanation");
        }
    }

    private static final String MEDIA_TYPE = "multipart/form-data";
    private static final int MAX_BOUNDARY_LENGTH = 70;
    // RFC 2046 bchars: the characters a boundary may contain; it must not end with a space.
    private static final String BOUNDARY_SYMBOLS = "'()+_,-./:=? ";
    private static final Set<String> IDENTITY_TRANSFER_ENCODINGS = Set.of("7bit", "8bit", "binary");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] EMPTY_LINE = {'\r', '\n', '\r', '\n'};
    // How much of a stray text to quote in a message.
    private static final int QUOTE_LENGTH = 20;

    private final String boundary;
    private final List<Part> parts;

    private MultipartForm(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
    }

    /** Returns the boundary from the Content-Type header. */
    public String boundary() {
        return boundary;
    }

    /** Returns the parts in body order. */
    public List<Part> parts() {
        return parts;
    }

    /**
     * Splits {@code body} into its parts.
     *
     * @param contentType the request's Content-Type header, or null when it has none
     * @throws UploadException 415 when the request is not {@code multipart/form-data}, 413 when it has
     *                         more parts than {@code limits} allow, 400 for any other fault
     */
    public static MultipartForm parse(String contentType, byte[] body, Limits limits) throws UploadException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(limits, "limits");
        String boundary = boundaryOf(contentType);
        return new Parser(boundary, body, limits).parse();
    }

    /**
     * Returns the boundary parameter of {@code contentType}, checked against RFC 2046.
     *
     * @throws UploadException 415 when the media type is not multipart/form-data, 400 when the
     *                         boundary is missing or invalid
     */
    static String boundaryOf(String contentType) throws UploadException {
        if (contentType == null || contentType.isBlank()) {
            throw new UploadException(UploadException.UNSUPPORTED_MEDIA_TYPE, "The request has no Content-Type header; "
                    + "send the upload as " + MEDIA_TYPE + " with a boundary parameter");
        }
        HeaderValue header;
        try {
            header = HeaderValue.parse(contentType);
        } catch (IllegalArgumentException e) {
            throw new UploadException(UploadException.BAD_REQUEST, "The Content-Type header \"" + contentType + "\" "
                    + e.getMessage());
        }
        if (!header.lowercaseValue().equals(MEDIA_TYPE)) {
            throw new UploadException(UploadException.UNSUPPORTED_MEDIA_TYPE, "The request's Content-Type is \""
                    + header.value() + "\"; send the upload as " + MEDIA_TYPE + ", with a metadata part and one part "
                    + "per module");
        }
        String boundary = header.parameters().get("boundary");
        if (boundary == null) {
            throw new UploadException(UploadException.BAD_REQUEST, "The Content-Type header \"" + contentType
                    + "\" has no boundary parameter; add one, such as " + MEDIA_TYPE + "; boundary=\"x7d3f\"");
        }
        String problem = boundaryProblem(boundary);
        if (problem != null) {
            throw new UploadException(UploadException.BAD_REQUEST, "The boundary \"" + boundary + "\" of the "
                    + "Content-Type header " + problem + "; a boundary has 1 to " + MAX_BOUNDARY_LENGTH + " letters, "
                    + "digits, spaces or characters of " + BOUNDARY_SYMBOLS.trim() + ", and does not end with a space");
        }
        return boundary;
    }

    private static String boundaryProblem(String boundary) {
        if (boundary.isEmpty()) {
            return "is empty";
        }
        if (boundary.length() > MAX_BOUNDARY_LENGTH) {
            return "has " + boundary.length() + " characters";
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || BOUNDARY_SYMBOLS.indexOf(c) >= 0);
            if (!allowed) {
                return "contains the character " + describeCharacter(c);
            }
        }
        if (boundary.endsWith(" ")) {
            return "ends with a space";
        }
        return null;
    }

    /** One parse: walks the body from delimiter to delimiter. */
    private static final class Parser {
        private final String boundary;
        private final byte[] body;
        private final Limits limits;
        private final byte[] dashBoundary;
        // A delimiter inside the body: CRLF, "--" and the boundary.
        private final BytePattern delimiter;
        private final List<Part> parts = new ArrayList<>();

        Parser(String boundary, byte[] body, Limits limits) {
            this.boundary = boundary;
            this.body = body;
            this.limits = limits;
            this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            this.delimiter = new BytePattern(("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII));
        }

        MultipartForm parse() throws UploadException {
            int position = afterOpeningDelimiter();
            while (!startsWith(position, "--".getBytes(StandardCharsets.US_ASCII))) {
                int number = parts.size() + 1;
                position = afterDelimiterLine(position, number);
                if (parts.size() == limits.maxParts()) {
                    throw new UploadException(UploadException.PAYLOAD_TOO_LARGE, "The body has more than "
                            + limits.maxParts() + " parts, the maximum: " + limits.maxPartsExplanation());
                }
                position = readPart(position, number);
            }
            return new MultipartForm(boundary, parts);
        }

        // Returns the position right after the first "--boundary", which may follow a preamble.
        private int afterOpeningDelimiter() throws UploadException {
            if (startsWith(0, dashBoundary)) {
                return dashBoundary.length;
            }
            int found = delimiter.find(body, 0);
            if (found >= 0) {
                return found + delimiter.length();
            }
            if (body.length == 0) {
                throw badRequest("The body is empty; an upload needs a metadata part and at least one module part");
            }
            if (new BytePattern(dashBoundary).find(body, 0) >= 0) {
                throw badRequest("The body contains \"--" + boundary + "\", but not at the start of a line that "
                        + "ends with CRLF; " + MEDIA_TYPE + " lines end with CRLF, not with LF alone");
            }
            throw badRequest("The body contains no delimiter line \"--" + boundary + "\"; each part must start "
                    + "with such a line, using the boundary of the Content-Type header");
        }

        // Checks the rest of a delimiter line (transport padding and CRLF) and returns the position after it.
        private int afterDelimiterLine(int position, int nextPart) throws UploadException {
            int end = position;
            while (end < body.length && (body[end] == ' ' || body[end] == '\t')) {
                end++;
            }
            if (startsWith(end, CRLF)) {
                return end + CRLF.length;
            }
            if (end >= body.length) {
                throw badRequest("The body ends after a delimiter line without the closing delimiter \"--" + boundary
                        + "--\"; the body may have been cut off, so send it again complete");
            }
            if (body[end] == '\n') {
                throw badRequest("The delimiter line before part " + nextPart + " ends with LF alone; " + MEDIA_TYPE
                        + " lines end with CRLF");
            }
            throw badRequest("The delimiter line before part " + nextPart + " continues with \"" + quote(end)
                    + "\" after the boundary; a line that starts with \"--" + boundary + "\" must end right after "
                    + "it, or with \"--\" to close the body, so choose a boundary that no content contains");
        }

        // Reads one part's headers and content; returns the position right after the next "--boundary".
        private int readPart(int position, int number) throws UploadException {
            int headerEnd;
            int contentStart;
            if (startsWith(position, CRLF)) {
                headerEnd = position;
                contentStart = position + CRLF.length;
            } else {
                headerEnd = endOfHeaders(position, number);
                contentStart = headerEnd + EMPTY_LINE.length;
            }
            Map<String, String> headers = headers(position, headerEnd, number);

            int contentEnd = delimiter.find(body, contentStart);
            String name = nameOf(headers, number);
            if (contentEnd < 0) {
                String hint = new BytePattern(("\n--" + boundary).getBytes(StandardCharsets.US_ASCII))
                        .find(body, contentStart) >= 0 ? "; its lines seem to end with LF alone, but " + MEDIA_TYPE
                        + " lines end with CRLF" : "; the body may have been cut off, so send it again complete";
                throw badRequest("Part " + number + " (\"" + name + "\") is not followed by a delimiter line "
                        + "\"--" + boundary + "\" or the closing delimiter \"--" + boundary + "--\"" + hint);
            }
            checkTransferEncoding(headers, number, name);
            parts.add(new Part(number, name, parameter(headers, "filename", number),
                    headers.get("content-type"), Arrays.copyOfRange(body, contentStart, contentEnd)));
            return contentEnd + delimiter.length();
        }

        private int endOfHeaders(int position, int number) throws UploadException {
            long searchLimit = Math.min(body.length, (long) position + limits.maxHeaderBlockBytes() + EMPTY_LINE.length);
            for (int i = position; i + EMPTY_LINE.length <= searchLimit; i++) {
                if (startsWith(i, EMPTY_LINE)) {
                    return i;
                }
            }
            if (body.length - position > limits.maxHeaderBlockBytes()) {
                throw badRequest("The header block of part " + number + " is larger than "
                        + limits.maxHeaderBlockBytes() + " bytes, the maximum, or does not end with an empty line; "
                        + "send only Content-Disposition and Content-Type, and end the headers with an empty line");
            }
            throw badRequest("The header block of part " + number + " does not end with an empty line (CRLF CRLF) "
                    + "before the body ends; end the part's headers with an empty line");
        }

        private Map<String, String> headers(int start, int end, int number) throws UploadException {
            Map<String, String> headers = new HashMap<>();
            if (start == end) {
                return headers;
            }
            String block;
            try {
                block = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body, start, end - start))
                        .toString();
            } catch (CharacterCodingException e) {
                throw badRequest("The headers of part " + number + " are not valid UTF-8; send header values, such "
                        + "as module names, in UTF-8");
            }
            for (String line : block.split("\r\n", -1)) {
                readHeaderLine(line, number, headers);
            }
            return headers;
        }

        private void readHeaderLine(String line, int number, Map<String, String> headers) throws UploadException {
            String prefix = "The header line \"" + line + "\" of part " + number;
            if (line.startsWith(" ") || line.startsWith("\t")) {
                throw badRequest(prefix + " starts with whitespace, which continues the previous line (obsolete "
                        + "line folding); write each header on one line");
            }
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw badRequest(prefix + " contains a line break that is not CRLF; end each header line with CRLF");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw badRequest(prefix + " has no header name and colon; write it as Name: value");
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                    throw badRequest(prefix + " has a header name with the character " + describeCharacter(c)
                            + "; header names are ASCII tokens, such as Content-Type");
                }
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (headers.put(key, line.substring(colon + 1).trim()) != null
                    && (key.equals("content-disposition") || key.equals("content-type"))) {
                throw badRequest("Part " + number + " has more than one " + name + " header; send it once");
            }
        }

        private String nameOf(Map<String, String> headers, int number) throws UploadException {
            String disposition = headers.get("content-disposition");
            if (disposition == null) {
                throw badRequest("Part " + number + " has no Content-Disposition header; each part needs "
                        + "Content-Disposition: form-data; name=\"...\", where the name is \"metadata\" or the "
                        + "module's name");
            }
            HeaderValue value = disposition(disposition, number);
            if (!value.lowercaseValue().equals("form-data")) {
                throw badRequest("The Content-Disposition of part " + number + " is \"" + value.value() + "\", not "
                        + "\"form-data\"; write Content-Disposition: form-data; name=\"...\"");
            }
            String name = value.parameters().get("name");
            if (name == null) {
                throw badRequest("The Content-Disposition of part " + number + " has no name parameter; add "
                        + "name=\"metadata\" for the metadata or name=\"<module name>\" for a module");
            }
            return name;
        }

        private String parameter(Map<String, String> headers, String parameter, int number) throws UploadException {
            return disposition(headers.get("content-disposition"), number).parameters().get(parameter);
        }

        private HeaderValue disposition(String disposition, int number) throws UploadException {
            try {
                return HeaderValue.parse(disposition);
            } catch (IllegalArgumentException e) {
                throw badRequest("The Content-Disposition header of part " + number + " " + e.getMessage());
            }
        }

        private void checkTransferEncoding(Map<String, String> headers, int number, String name)
                throws UploadException {
            String encoding = headers.get("content-transfer-encoding");
            if (encoding != null && !IDENTITY_TRANSFER_ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
                throw badRequest("Part " + number + " (\"" + name + "\") has Content-Transfer-Encoding: " + encoding
                        + ", which RFC 7578 deprecates and Mooring does not decode; send the content as it is, "
                        + "without that header");
            }
        }

        private boolean startsWith(int position, byte[] prefix) {
            if (position < 0 || position + prefix.length > body.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (body[position + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        // Returns up to QUOTE_LENGTH characters of the body from position, for messages.
        private String quote(int position) {
            int end = Math.min(body.length, position + QUOTE_LENGTH);
            int lineEnd = position;
            while (lineEnd < end && body[lineEnd] != '\r' && body[lineEnd] != '\n') {
                lineEnd++;
            }
            return StandardCharsets.UTF_8.decode(ByteBuffer.wrap(body, position, lineEnd - position)).toString();
        }
    }

    /** Describes {@code c} for messages: the character itself when printable, and its code point. */
    static String describeCharacter(int c) {
        String codePoint = String.format("U+%04X", c);
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? codePoint
                : "\"" + CharBuffer.wrap(Character.toChars(c)) + "\" (" + codePoint + ")";
    }

    private static UploadException badRequest(String message) {
        return new UploadException(UploadException.BAD_REQUEST, message);
    }

    /** A byte string to search for, with Knuth–Morris–Pratt, so a search takes time linear in the body. */
    static final class BytePattern {
        private final byte[] pattern;
        // failure[i]: length of the longest proper prefix of pattern[0..i] that is also its suffix.
        private final int[] failure;

        BytePattern(byte[] pattern) {
            this.pattern = pattern;
            this.failure = new int[pattern.length];
            int matched = 0;
            for (int i = 1; i < pattern.length; i++) {
                while (matched > 0 && pattern[i] != pattern[matched]) {
                    matched = failure[matched - 1];
                }
                if (pattern[i] == pattern[matched]) {
                    matched++;
                }
                failure[i] = matched;
            }
        }

        int length() {
            return pattern.length;
        }

        /** Returns the index of the first occurrence at or after {@code from}, or -1. */
        int find(byte[] data, int from) {
            int matched = 0;
            for (int i = from; i < data.length; i++) {
                while (matched > 0 && data[i] != pattern[matched]) {
                    matched = failure[matched - 1];
                }
                if (data[i] == pattern[matched]) {
                    matched++;
                }
                if (matched == pattern.length) {
                    return i - pattern.length + 1;
                }
            }
            return -1;
        }
    }
}
