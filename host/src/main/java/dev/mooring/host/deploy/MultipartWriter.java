package dev.mooring.host.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@code multipart/form-data} body that {@link MultipartForm} reads back part for part.
 * Names and filenames are written as quoted strings in UTF-8, with {@code "} and {@code \}
 * escaped by a backslash; a name with a line break or another control character is rejected,
 * because no header line can carry it.
 *
 * <p>Not thread-safe; build a body on one thread.
 */
public final class MultipartWriter {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BOUNDARY_BYTES = 16;

    private record PendingPart(String name, String filename, String contentType, byte[] content) {}

    private final String boundary;
    private final List<PendingPart> parts = new ArrayList<>();

    /** Starts a body with a random boundary of 128 bits. */
    public MultipartWriter() {
        this(randomBoundary());
    }

    /**
     * Starts a body with {@code boundary}.
     *
     * @throws IllegalArgumentException when the boundary breaks RFC 2046's rules
     */
    public MultipartWriter(String boundary) {
        try {
            MultipartForm.boundaryOf("multipart/form-data; boundary=\"" + boundary + "\"");
        } catch (UploadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.boundary = boundary;
    }

    /** Returns a boundary of 32 random hexadecimal digits after a fixed prefix. */
    public static String randomBoundary() {
        byte[] random = new byte[RANDOM_BOUNDARY_BYTES];
        RANDOM.nextBytes(random);
        return "mooring-" + HexFormat.of().formatHex(random);
    }

    /** Returns the Content-Type header for the body: the media type with the boundary. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * Adds a part.
     *
     * @param filename    the filename parameter, or null for none
     * @param contentType the Content-Type header, or null for none
     * @throws IllegalArgumentException when the name or filename contains a control character
     */
    public MultipartWriter add(String name, String filename, String contentType, byte[] content) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        checkHeaderText("part name", name);
        if (filename != null) {
            checkHeaderText("filename", filename);
        }
        if (contentType != null) {
            checkHeaderText("Content-Type", contentType);
        }
        parts.add(new PendingPart(name, filename, contentType, content));
        return this;
    }

    /**
     * Returns the body.
     *
     * @throws IllegalStateException when a part's content contains the delimiter, which a random
     *                               boundary makes practically impossible
     */
    public byte[] toByteArray() {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PendingPart part : parts) {
            if (contains(part.content(), delimiter)) {
                throw new IllegalStateException("The content of part \"" + part.name() + "\" contains the boundary "
                        + boundary + "; use another boundary");
            }
            StringBuilder headers = new StringBuilder();
            headers.append("--").append(boundary).append("\r\n");
            headers.append("Content-Disposition: form-data; name=").append(quoted(part.name()));
            if (part.filename() != null) {
                headers.append("; filename=").append(quoted(part.filename()));
            }
            headers.append("\r\n");
            if (part.contentType() != null) {
                headers.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            headers.append("\r\n");
            out.writeBytes(headers.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static void checkHeaderText(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException("The " + field + " \"" + text + "\" contains the control character "
                        + MultipartForm.describeCharacter(text.charAt(i)) + ", which a header line cannot carry");
            }
        }
    }

    // Content that starts with "--boundary" breaks the body too, because the header block before
    // it ends with CRLF. Searching the content with CRLF in front covers that case.
    private static boolean contains(byte[] content, byte[] delimiter) {
        byte[] framed = new byte[content.length + 2];
        framed[0] = '\r';
        framed[1] = '\n';
        System.arraycopy(content, 0, framed, 2, content.length);
        return new MultipartForm.BytePattern(delimiter).find(framed, 0) >= 0;
    }
}
