package dev.mooring.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The read-only file system a script's context sees: its modules, mounted at the root, and the
 * built-in {@code cloudflare:} modules. Nothing here touches the disk.
 *
 * <p>GraalJS loads every imported file as an ES module, so Text and Data modules are served as
 * generated JS modules whose default export is the string or an {@code ArrayBuffer} with the
 * bytes. Bare specifiers such as {@code "chat.html"} resolve against the root, which is how
 * Cloudflare resolves the names of uploaded modules.
 *
 * <p>Immutable after construction and safe to share between the contexts of one script version.
 */
final class BundleFileSystem implements FileSystem {

    /** Where the built-in modules live; their names contain ':' so no relative import reaches them. */
    static final String BUILTIN_PREFIX = "/cloudflare:";

    private static final Path ROOT = Path.of("/");

    private final Map<String, byte[]> files = new HashMap<>();

    BundleFileSystem(ModuleBundle bundle, Map<String, String> builtinModules) {
        for (ModuleBundle.Module module : bundle.modules().values()) {
            files.put("/" + module.name(), sourceOf(module));
        }
        builtinModules.forEach((name, source) -> files.put(BUILTIN_PREFIX + name, source.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns the absolute virtual path of a module of the bundle. */
    static String pathOf(String moduleName) {
        return "/" + moduleName;
    }

    private static byte[] sourceOf(ModuleBundle.Module module) {
        return switch (module.type()) {
            case ES_MODULE -> module.content();
            case TEXT -> textModule(module.text());
            case DATA -> dataModule(module.content());
        };
    }

    private static byte[] textModule(String text) {
        return ("export default " + JsLiterals.string(text) + ";\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A module that decodes its own base64 payload, so it depends on no global a script could replace. */
    private static byte[] dataModule(byte[] content) {
        String base64 = Base64.getEncoder().encodeToString(content);
        String source = """
                const text = "%s";
                const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                const lookup = new Uint8Array(128);
                for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
                const bytes = new Uint8Array(%d);
                let out = 0;
                for (let i = 0; i < text.length; i += 4) {
                  const a = lookup[text.charCodeAt(i)], b = lookup[text.charCodeAt(i + 1)];
                  const c = lookup[text.charCodeAt(i + 2)], d = lookup[text.charCodeAt(i + 3)];
                  const triple = (a << 18) | (b << 12) | (c << 6) | d;
                  if (out < bytes.length) bytes[out++] = triple >> 16;
                  if (out < bytes.length) bytes[out++] = (triple >> 8) & 255;
                  if (out < bytes.length) bytes[out++] = triple & 255;
                }
                export default bytes.buffer;
                """.formatted(base64, content.length);
        return source.getBytes(StandardCharsets.UTF_8);
    }

    private String key(Path path) {
        return toAbsolutePath(path).normalize().toString();
    }

    private byte[] contentOf(Path path) throws NoSuchFileException {
        byte[] content = files.get(key(path));
        if (content == null) {
            throw new NoSuchFileException(path.toString());
        }
        return content;
    }

    @Override
    public Path parsePath(URI uri) {
        if ("cloudflare".equals(uri.getScheme())) {
            return Path.of(BUILTIN_PREFIX + uri.getSchemeSpecificPart());
        }
        if ("node".equals(uri.getScheme())) {
            // No such file exists, so the import fails as a missing module, which the loader explains.
            return Path.of("/" + uri);
        }
        if ("file".equals(uri.getScheme()) || uri.getScheme() == null) {
            // A file: URI names a path inside this file system, never a host file.
            return Path.of(uri.getPath() == null ? "/" : uri.getPath());
        }
        throw new UnsupportedOperationException("Modules can only be imported from the project, not from " + uri);
    }

    @Override
    public Path parsePath(String path) {
        return Path.of(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new AccessDeniedException(path.toString(), null, "modules are read-only");
        }
        String key = key(path);
        if (!files.containsKey(key) && !key.equals("/")) {
            throw new NoSuchFileException(path.toString());
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules are read-only");
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new AccessDeniedException(path.toString(), null, "modules are read-only");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ && option != LinkOption.NOFOLLOW_LINKS) {
                throw new AccessDeniedException(path.toString(), null, "modules are read-only");
            }
        }
        return new ReadOnlyChannel(contentOf(path));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "listing module directories is not supported");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : ROOT.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) {
        return toAbsolutePath(path).normalize();
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        String key = key(path);
        boolean directory = key.equals("/");
        byte[] content = directory ? new byte[0] : contentOf(path);
        Map<String, Object> result = new HashMap<>();
        result.put("isRegularFile", !directory);
        result.put("isDirectory", directory);
        result.put("isSymbolicLink", false);
        result.put("isOther", false);
        result.put("size", (long) content.length);
        return result;
    }

    /** A channel over an immutable byte array. */
    private static final class ReadOnlyChannel implements SeekableByteChannel {
        private final byte[] content;
        private int position;
        private boolean open = true;

        ReadOnlyChannel(byte[] content) {
            this.content = content;
        }

        @Override
        public int read(ByteBuffer destination) {
            if (position >= content.length) {
                return -1;
            }
            int count = Math.min(destination.remaining(), content.length - position);
            destination.put(content, position, count);
            position += count;
            return count;
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = (int) Math.min(newPosition, content.length);
            return this;
        }

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
