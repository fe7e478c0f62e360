package dev.mooring.host.deploy;

import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Maps a module part's Content-Type to a module type, and checks the encoding of source parts. */
final class ModuleTypes {

    private static final String SUPPORTED = ScriptUpload.ES_MODULE_TYPE + " (ES module), "
            + ScriptUpload.TEXT_MODULE_TYPE + " (Text module) or " + ScriptUpload.DATA_MODULE_TYPE + " (Data module)";
    private static final int DECODE_BUFFER_CHARS = 8192;

    private ModuleTypes() {
    }

    /**
     * Returns the module type that the Content-Type of {@code part} selects; {@code moduleName}
     * names the part's module in messages.
     *
     * @throws UploadException 400 when the part has no Content-Type, or one that Mooring does not run
     */
    static ModuleType of(MultipartForm.Part part, String moduleName) throws UploadException {
        String prefix = "Module \"" + moduleName + "\" (part " + part.number() + ") ";
        if (part.contentType() == null) {
            throw badRequest(prefix + "has no Content-Type header; set it to " + SUPPORTED);
        }
        HeaderValue contentType;
        try {
            contentType = HeaderValue.parse(part.contentType());
        } catch (IllegalArgumentException e) {
            throw badRequest(prefix + "has the Content-Type \"" + part.contentType() + "\", which " + e.getMessage());
        }
        String mediaType = contentType.lowercaseValue();
        ModuleType type = switch (mediaType) {
            case ScriptUpload.ES_MODULE_TYPE -> ModuleType.ES_MODULE;
            case ScriptUpload.TEXT_MODULE_TYPE -> ModuleType.TEXT;
            case ScriptUpload.DATA_MODULE_TYPE -> ModuleType.DATA;
            case "application/javascript", "text/javascript" -> throw badRequest(prefix + "has Content-Type "
                    + mediaType + ", which Cloudflare's upload format uses for CommonJS modules and service-worker "
                    + "scripts; Mooring runs only ES modules, so convert it to an ES module and send it as "
                    + ScriptUpload.ES_MODULE_TYPE);
            case "application/wasm" -> throw badRequest(prefix + "is a WebAssembly module (application/wasm), which "
                    + "Mooring does not support; Mooring runs " + SUPPORTED);
            default -> throw badRequest(prefix + "has Content-Type " + mediaType + ", which is not a module type "
                    + "Mooring supports; use " + SUPPORTED);
        };
        String charset = contentType.parameters().get("charset");
        if (type != ModuleType.DATA && charset != null && !charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
            throw badRequest(prefix + "has the charset " + charset + "; Mooring reads source and text modules as "
                    + "UTF-8, so convert the module to UTF-8 and send charset=utf-8 or no charset");
        }
        return type;
    }

    /**
     * Checks that {@code part}'s content is valid UTF-8.
     *
     * @throws UploadException 400 naming the module and the byte offset and line of the first invalid sequence
     */
    static void checkUtf8(MultipartForm.Part part, String moduleName) throws UploadException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(part.content());
        CharBuffer out = CharBuffer.allocate(DECODE_BUFFER_CHARS);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                int offset = in.position();
                throw badRequest("Module \"" + moduleName + "\" (part " + part.number() + ") is not valid UTF-8: "
                        + "the byte at offset " + offset + " (line " + lineOf(part.content(), offset) + ") starts an "
                        + "invalid sequence; save the file as UTF-8, or send it as " + ScriptUpload.DATA_MODULE_TYPE
                        + " if it is binary");
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private static int lineOf(byte[] content, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (content[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static UploadException badRequest(String message) {
        return new UploadException(UploadException.BAD_REQUEST, message);
    }
}
