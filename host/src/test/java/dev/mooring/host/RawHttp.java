package dev.mooring.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Locale;

/** HTTP/1.1 read by hand, for tests that must control what a connection carries and when. */
public final class RawHttp {

    private RawHttp() {}

    /** Reads one response with a Content-Length body from {@code in} and returns its head and body as text. */
    public static String readResponse(BufferedReader in) throws IOException {
        StringBuilder response = new StringBuilder();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            response.append(line).append('\n');
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
            int count = in.read(body, read, length - read);
            if (count < 0) {
                throw new IOException("the connection closed inside a response body: " + response);
            }
            read += count;
        }
        return response.append('\n').append(body).toString();
    }
}
