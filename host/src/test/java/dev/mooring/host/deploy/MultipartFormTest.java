package dev.mooring.host.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The multipart/form-data parser and writer on bodies that other checks do not reach. */
class MultipartFormTest {

    private static final MultipartForm.Limits LIMITS = new MultipartForm.Limits(10, 1024, "ten parts at most");

    private static MultipartForm parse(String contentType, String body) throws UploadException {
        return MultipartForm.parse(contentType, body.getBytes(UTF_8), LIMITS);
    }

    private static UploadException rejection(String contentType, String body) {
        return assertThrows(UploadException.class, () -> parse(contentType, body));
    }

    @Test
    void quotedBoundaryWithSpaceAndColon() throws Exception {
        MultipartForm form = parse("multipart/form-data; boundary=\"a b:c\"",
                "--a b:c\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--a b:c--\r\n");

        assertEquals("a b:c", form.boundary());
        assertEquals(1, form.parts().size());
        assertEquals("value", new String(form.parts().get(0).content(), UTF_8));
    }

    @Test
    void mediaTypeAndNamesIgnoreCase() throws Exception {
        MultipartForm form = parse("Multipart/Form-Data; BOUNDARY=xyz",
                "--xyz\r\ncontent-disposition: Form-Data; NAME=\"x\"\r\nCONTENT-TYPE: text/plain\r\n\r\nv\r\n--xyz--");

        MultipartForm.Part part = form.parts().get(0);
        assertEquals("x", part.name());
        assertEquals("text/plain", part.contentType());
    }

    @Test
    void preambleEpilogueAndPaddingIgnored() throws Exception {
        MultipartForm form = parse("multipart/form-data; boundary=b",
                "This is the preamble.\r\n--b \t\r\nContent-Disposition: form-data; name=\"one\"\r\n\r\n1\r\n"
                        + "--b\t\r\nContent-Disposition: form-data; name=\"two\"\r\n\r\n2\r\n--b--\r\nThis is the epilogue.\r\n");

        assertEquals(List.of("one", "two"), form.parts().stream().map(MultipartForm.Part::name).toList());
        assertEquals("2", new String(form.parts().get(1).content(), UTF_8));
    }

    @Test
    void contentKeepsLineBreaksAndNearBoundaries() throws Exception {
        String content = "line\r\nmid-line --b\r\n\r\n-- b\rlone CR\nlone LF\u0000\r\n";
        MultipartForm form = parse("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n" + content + "\r\n--b--");

        assertEquals(content, new String(form.parts().get(0).content(), UTF_8));
    }

    @Test
    void emptyContentAndMissingHeadersAllowed() throws Exception {
        MultipartForm form = parse("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--b--");

        MultipartForm.Part part = form.parts().get(0);
        assertEquals(0, part.content().length);
        assertNull(part.filename());
        assertNull(part.contentType());
    }

    @Test
    void escapedQuoteAndUtf8Names() throws Exception {
        MultipartForm form = parse("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"a\\\"b\"; filename=\"módulo.js\"\r\n\r\nx\r\n--b--");

        assertEquals("a\"b", form.parts().get(0).name());
        assertEquals("módulo.js", form.parts().get(0).filename());
    }

    @Test
    void writerOutputParsesBack() throws Exception {
        byte[] binary = {0, '\r', '\n', '-', '-', (byte) 0xFF};
        MultipartWriter writer = new MultipartWriter()
                .add("metadata", null, "application/json", "{}".getBytes(UTF_8))
                .add("dir/quote\"back\\slash.js", "dir/quote\"back\\slash.js", "application/javascript+module",
                        "export {};".getBytes(UTF_8))
                .add("data.bin", "data.bin", "application/octet-stream", binary);

        MultipartForm form = MultipartForm.parse(writer.contentType(), writer.toByteArray(), LIMITS);

        assertEquals(3, form.parts().size());
        assertEquals("metadata", form.parts().get(0).name());
        assertNull(form.parts().get(0).filename());
        assertEquals("application/json", form.parts().get(0).contentType());
        assertEquals("dir/quote\"back\\slash.js", form.parts().get(1).name());
        assertEquals("dir/quote\"back\\slash.js", form.parts().get(1).filename());
        assertArrayEquals(binary, form.parts().get(2).content());
        assertEquals(3, form.parts().get(2).number());
    }

    @Test
    void writerRejectsLineBreakInName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new MultipartWriter().add("a\r\nb", null, null, new byte[1]));

        assertTrue(error.getMessage().contains("contains the control character U+000D"), error.getMessage());
    }

    @Test
    void writerRejectsContentWithDelimiter() {
        MultipartWriter writer = new MultipartWriter("fixed").add("x", null, null, "--fixed\r\n".getBytes(UTF_8));

        IllegalStateException error = assertThrows(IllegalStateException.class, writer::toByteArray);

        assertTrue(error.getMessage().contains("contains the boundary fixed"), error.getMessage());
    }

    @Test
    void tooManyPartsStopsAtLimit() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"p").append(i).append("\"\r\n\r\nx\r\n");
        }
        // The last part is cut off: the parser must stop at the limit before it reads that far.
        body.append("--b\r\nContent-Disposition: form-data; name=\"cut");

        UploadException error = rejection("multipart/form-data; boundary=b", body.toString());

        assertEquals(413, error.status());
        assertEquals("The body has more than 10 parts, the maximum: ten parts at most", error.getMessage());
    }

    @Test
    void repeatedContentTypeRejected() {
        UploadException error = rejection("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; "
                + "name=\"x\"\r\nContent-Type: text/plain\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--b--");

        assertEquals(400, error.status());
        assertEquals("Part 1 has more than one Content-Type header; send it once", error.getMessage());
    }

    @Test
    void invalidUtf8HeaderRejected() {
        String text = "--b\r\nContent-Disposition: form-data; name=\"?\"\r\n\r\nx\r\n--b--";
        byte[] body = text.getBytes(UTF_8);
        body[text.indexOf('?')] = (byte) 0xFF;

        UploadException error = assertThrows(UploadException.class,
                () -> MultipartForm.parse("multipart/form-data; boundary=b", body, LIMITS));

        assertEquals("The headers of part 1 are not valid UTF-8; send header values, such as module names, in UTF-8",
                error.getMessage());
    }

    @Test
    void lineFeedOnlyPartEndGetsHint() {
        UploadException error = rejection("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\n--b--\n");

        assertTrue(error.getMessage().contains("its lines seem to end with LF alone"), error.getMessage());
    }

    @Test
    void delimiterFollowedByTextRejected() {
        UploadException error = rejection("multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--bogus\r\n--b--");

        assertEquals("The delimiter line before part 2 continues with \"ogus\" after the boundary; a line that starts "
                + "with \"--b\" must end right after it, or with \"--\" to close the body, so choose a boundary that no "
                + "content contains", error.getMessage());
    }

    @Test
    void parameterWithoutValueRejected() {
        UploadException error = rejection("multipart/form-data; boundary", "--b--");

        assertEquals("The Content-Type header \"multipart/form-data; boundary\" has the parameter boundary without a "
                + "value; write boundary=\"...\"", error.getMessage());
    }
}
