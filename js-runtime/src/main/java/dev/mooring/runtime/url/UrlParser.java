package dev.mooring.runtime.url;

import dev.mooring.runtime.url.PercentEncoding.EncodeSet;
import java.util.List;
import java.util.Locale;

/**
 * The basic URL parser of the WHATWG URL Standard (https://url.spec.whatwg.org/#concept-basic-url-parser),
 * with the state overrides that the setters of the {@code URL} class use.
 *
 * <p>Design. One parser object exists per parse and is confined to the calling thread; the static
 * entry points are safe to call from any thread. The object contains the prepared input, the record
 * being built, the base and the state override. {@link #run} is the state machine: it calls the
 * handler of the current {@link State}, which reads the code unit at {@link #pointer} (or {@link
 * #EOF}), may change the record and the pointer, and returns the next state. A handler that leaves
 * the pointer where it is makes the next state read the same code unit again, which is what the
 * standard's "decrease pointer by 1" achieves. The loop ends when the pointer has moved past the
 * end of the input, or when a handler returns {@link State#DONE} or {@link State#FAILURE}.
 *
 * <p>The one structural difference from the standard's text: the states that collect code points
 * into a buffer until a delimiter (authority, host, port, file host, path, opaque path, query,
 * fragment) scan ahead to the delimiter and process the whole range in one step. Percent-encoding
 * then copies a range that needs no encoding as one substring, so the common case costs one
 * substring per component and nothing per code point.
 *
 * <p>The input is read as UTF-16 code units. Every delimiter is ASCII, so a scan never stops inside
 * a surrogate pair, and percent-encoding encodes each pair as one code point.
 *
 * <p>The parser reports no validation errors that do not fail the parse; nothing here logs. The
 * class is long because it has one short handler per state of the standard, grouped by the part
 * of the URL they read.
 */
public final class UrlParser {

    /**
     * The parser's states, named as in the standard, plus two outcomes that end the loop. The
     * setters start the parser in one of the states with that state as the state override.
     */
    enum State {
        SCHEME_START,
        SCHEME,
        NO_SCHEME,
        SPECIAL_RELATIVE_OR_AUTHORITY,
        PATH_OR_AUTHORITY,
        RELATIVE,
        RELATIVE_SLASH,
        SPECIAL_AUTHORITY_SLASHES,
        SPECIAL_AUTHORITY_IGNORE_SLASHES,
        AUTHORITY,
        HOST,
        HOSTNAME,
        PORT,
        FILE,
        FILE_SLASH,
        FILE_HOST,
        PATH_START,
        PATH,
        OPAQUE_PATH,
        QUERY,
        FRAGMENT,
        /** The parse is complete: a new record is ready, or a setter's change is done. */
        DONE,
        /** The parse failed. A setter keeps the changes made before the failure, as the standard specifies. */
        FAILURE
    }

    /** The value of {@link #codeUnitAt} past the end of the input. */
    private static final int EOF = -1;

    private final String input;
    private final int length;
    private final UrlRecord base;
    private final UrlRecord url;
    /** The state a setter started in, or null for a parse of a whole URL. */
    private final State stateOverride;
    private int pointer;

    private UrlParser(String input, UrlRecord base, UrlRecord url, State stateOverride) {
        this.input = input;
        this.length = input.length();
        this.base = base;
        this.url = url;
        this.stateOverride = stateOverride;
    }

    /** Parses an absolute URL; returns null when the input is not a valid URL string. */
    public static UrlRecord parse(String input) {
        return parse(input, null);
    }

    /**
     * Parses a URL against a base URL, which may be null. Returns a new record, or null when the
     * input is not a valid URL string (or not a valid relative one for this base). The base is only
     * read.
     */
    public static UrlRecord parse(String input, UrlRecord base) {
        UrlRecord url = new UrlRecord();
        UrlParser parser = new UrlParser(prepareInput(input, true), base, url, null);
        return parser.run(State.SCHEME_START) ? url : null;
    }

    /**
     * Parses a setter's value into {@code url}, starting in {@code stateOverride}. Returns false
     * when the value is invalid. The record may have changed even then.
     */
    static boolean parseWithOverride(String input, UrlRecord url, State stateOverride) {
        UrlParser parser = new UrlParser(prepareInput(input, false), null, url, stateOverride);
        return parser.run(stateOverride);
    }

    /**
     * Removes leading and trailing C0 controls and spaces (only when parsing a whole URL, not a
     * setter's value), then every tab and newline.
     */
    static String prepareInput(String input, boolean trimControlsAndSpaces) {
        int start = 0;
        int end = input.length();
        if (trimControlsAndSpaces) {
            while (start < end && input.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && input.charAt(end - 1) <= ' ') {
                end--;
            }
        }
        StringBuilder out = null;
        int copied = start;
        for (int i = start; i < end; i++) {
            char c = input.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                if (out == null) {
                    out = new StringBuilder(end - start);
                }
                out.append(input, copied, i);
                copied = i + 1;
            }
        }
        if (out == null) {
            return input.substring(start, end);
        }
        return out.append(input, copied, end).toString();
    }

    private boolean run(State initialState) {
        State state = initialState;
        while (pointer <= length) {
            state = step(state);
            if (state == State.DONE) {
                return true;
            }
            if (state == State.FAILURE) {
                return false;
            }
        }
        return true;
    }

    private State step(State state) {
        int c = codeUnitAt(pointer);
        return switch (state) {
            case SCHEME_START -> schemeStart(c);
            case SCHEME -> scheme();
            case NO_SCHEME -> noScheme(c);
            case SPECIAL_RELATIVE_OR_AUTHORITY -> specialRelativeOrAuthority(c);
            case PATH_OR_AUTHORITY -> pathOrAuthority(c);
            case RELATIVE -> relative(c);
            case RELATIVE_SLASH -> relativeSlash(c);
            case SPECIAL_AUTHORITY_SLASHES -> specialAuthoritySlashes(c);
            case SPECIAL_AUTHORITY_IGNORE_SLASHES -> specialAuthorityIgnoreSlashes();
            case AUTHORITY -> authority();
            case HOST, HOSTNAME -> host();
            case PORT -> port();
            case FILE -> file(c);
            case FILE_SLASH -> fileSlash(c);
            case FILE_HOST -> fileHost();
            case PATH_START -> pathStart(c);
            case PATH -> pathSegment();
            case OPAQUE_PATH -> opaquePath();
            case QUERY -> query();
            case FRAGMENT -> fragment();
            case DONE, FAILURE -> throw new IllegalStateException("The URL parser cannot continue after " + state);
        };
    }

    private int codeUnitAt(int index) {
        return index < length ? input.charAt(index) : EOF;
    }

    private boolean hasOverride() {
        return stateOverride != null;
    }

    // ---------------------------------------------------------------------------------------------
    // Scheme.

    private State schemeStart(int c) {
        if (isAsciiAlpha(c)) {
            return State.SCHEME;
        }
        return hasOverride() ? State.FAILURE : State.NO_SCHEME;
    }

    private State scheme() {
        int end = pointer;
        while (end < length && isSchemeCodePoint(input.charAt(end))) {
            end++;
        }
        if (codeUnitAt(end) != ':') {
            if (hasOverride()) {
                return State.FAILURE;
            }
            pointer = 0; // Start over, reading the input as a URL without a scheme.
            return State.NO_SCHEME;
        }

        String scheme = input.substring(pointer, end).toLowerCase(Locale.ROOT);
        if (hasOverride()) {
            return overrideScheme(scheme);
        }
        url.setScheme(scheme);
        pointer = end + 1;
        if (scheme.equals("file")) {
            return State.FILE;
        }
        if (url.special && base != null && base.scheme.equals(scheme)) {
            return State.SPECIAL_RELATIVE_OR_AUTHORITY;
        }
        if (url.special) {
            return State.SPECIAL_AUTHORITY_SLASHES;
        }
        if (codeUnitAt(pointer) == '/') {
            pointer++;
            return State.PATH_OR_AUTHORITY;
        }
        url.setOpaquePath("");
        return State.OPAQUE_PATH;
    }

    /**
     * Applies the protocol setter's scheme. The scheme stays as it was when the change would turn
     * a special URL into a non-special one or back, or give a file URL credentials, a port or an
     * empty host.
     */
    private State overrideScheme(String scheme) {
        if (url.special != UrlRecord.isSpecialScheme(scheme)) {
            return State.DONE;
        }
        if ((url.includesCredentials() || url.port != UrlRecord.NO_PORT) && scheme.equals("file")) {
            return State.DONE;
        }
        if (url.scheme.equals("file") && "".equals(url.host)) {
            return State.DONE;
        }
        url.setScheme(scheme);
        if (url.port == UrlRecord.defaultPort(scheme)) {
            url.port = UrlRecord.NO_PORT;
        }
        return State.DONE;
    }

    private State noScheme(int c) {
        if (base == null || (base.hasOpaquePath() && c != '#')) {
            return State.FAILURE;
        }
        if (base.hasOpaquePath()) {
            // Only a fragment can be resolved against a URL such as "mailto:x".
            url.setScheme(base.scheme);
            url.setPathFrom(base);
            url.query = base.query;
            url.fragment = "";
            pointer++;
            return State.FRAGMENT;
        }
        return base.scheme.equals("file") ? State.FILE : State.RELATIVE;
    }

    // ---------------------------------------------------------------------------------------------
    // Relative URLs, resolved against the base.

    private State specialRelativeOrAuthority(int c) {
        if (c == '/' && codeUnitAt(pointer + 1) == '/') {
            pointer += 2;
            return State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        }
        return State.RELATIVE;
    }

    private State pathOrAuthority(int c) {
        if (c == '/') {
            pointer++;
            return State.AUTHORITY;
        }
        return State.PATH;
    }

    private State relative(int c) {
        url.setScheme(base.scheme);
        if (c == '/' || (url.special && c == '\\')) {
            pointer++;
            return State.RELATIVE_SLASH;
        }

        copyAuthorityFrom(base);
        url.setPathFrom(base);
        url.query = base.query;
        if (c == '?') {
            url.query = "";
            pointer++;
            return State.QUERY;
        }
        if (c == '#') {
            url.fragment = "";
            pointer++;
            return State.FRAGMENT;
        }
        if (c == EOF) {
            return State.DONE; // The empty input resolves to the base without its fragment.
        }
        url.query = null;
        shortenPath();
        return State.PATH;
    }

    private State relativeSlash(int c) {
        if (url.special && (c == '/' || c == '\\')) {
            pointer++;
            return State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        }
        if (c == '/') {
            pointer++;
            return State.AUTHORITY;
        }
        copyAuthorityFrom(base);
        return State.PATH;
    }

    private void copyAuthorityFrom(UrlRecord source) {
        url.username = source.username;
        url.password = source.password;
        url.host = source.host;
        url.port = source.port;
    }

    // ---------------------------------------------------------------------------------------------
    // Authority: credentials, host and port.

    private State specialAuthoritySlashes(int c) {
        if (c == '/' && codeUnitAt(pointer + 1) == '/') {
            pointer += 2;
        }
        return State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
    }

    private State specialAuthorityIgnoreSlashes() {
        while (pointer < length && (input.charAt(pointer) == '/' || input.charAt(pointer) == '\\')) {
            pointer++;
        }
        return State.AUTHORITY;
    }

    /**
     * Reads the credentials, if any. They end at the last "@" before the end of the authority:
     * earlier "@"s belong to them and are percent-encoded, and the first ":" separates the username
     * from the password.
     */
    private State authority() {
        int end = pointer;
        int lastAt = -1;
        while (end < length && !isAuthorityDelimiter(input.charAt(end))) {
            if (input.charAt(end) == '@') {
                lastAt = end;
            }
            end++;
        }
        if (lastAt == -1) {
            return State.HOST;
        }

        int colon = input.indexOf(':', pointer);
        if (colon != -1 && colon < lastAt) {
            url.username = PercentEncoding.encode(input, pointer, colon, EncodeSet.USERINFO, false);
            url.password = PercentEncoding.encode(input, colon + 1, lastAt, EncodeSet.USERINFO, false);
        } else {
            url.username = PercentEncoding.encode(input, pointer, lastAt, EncodeSet.USERINFO, false);
        }
        if (lastAt + 1 == end) {
            return State.FAILURE; // Credentials without a host.
        }
        pointer = lastAt + 1;
        return State.HOST;
    }

    /** Runs the host and hostname states, which differ only in whether a setter may go on to the port. */
    private State host() {
        if (hasOverride() && url.scheme.equals("file")) {
            return State.FILE_HOST;
        }
        int end = pointer;
        boolean insideBrackets = false;
        boolean atPortColon = false;
        for (; end < length; end++) {
            char c = input.charAt(end);
            if (c == ':' && !insideBrackets) {
                atPortColon = true;
                break;
            }
            if (isAuthorityDelimiter(c)) {
                break;
            }
            if (c == '[') {
                insideBrackets = true;
            } else if (c == ']') {
                insideBrackets = false;
            }
        }
        String buffer = input.substring(pointer, end);

        if (atPortColon) {
            if (buffer.isEmpty() || stateOverride == State.HOSTNAME || !setHost(buffer)) {
                return State.FAILURE;
            }
            pointer = end + 1;
            return State.PORT;
        }
        if (url.special && buffer.isEmpty()) {
            return State.FAILURE;
        }
        if (hasOverride() && buffer.isEmpty() && (url.includesCredentials() || url.port != UrlRecord.NO_PORT)) {
            return State.FAILURE; // The setter cannot empty the host while credentials or a port need it.
        }
        if (!setHost(buffer)) {
            return State.FAILURE;
        }
        if (hasOverride()) {
            return State.DONE;
        }
        pointer = end;
        return State.PATH_START;
    }

    /** Parses the buffer as the URL's host; returns false when it is invalid. */
    private boolean setHost(String buffer) {
        String host = HostParser.parse(buffer, !url.special);
        if (host == null) {
            return false;
        }
        url.host = host;
        return true;
    }

    private State port() {
        int end = pointer;
        int port = 0;
        while (end < length && isAsciiDigit(input.charAt(end))) {
            // Capped so that a long run of digits stays above the limit without overflowing.
            port = Math.min(port * 10 + (input.charAt(end) - '0'), 0x10000);
            end++;
        }
        int c = codeUnitAt(end);
        boolean atEndOfPort = c == EOF || isAuthorityDelimiter(c);
        if (!atEndOfPort && !hasOverride()) {
            return State.FAILURE;
        }

        // A setter's value may go on after the digits ("8080abc"); the rest is ignored.
        if (end > pointer) {
            if (port > 0xFFFF) {
                return State.FAILURE;
            }
            url.port = port == UrlRecord.defaultPort(url.scheme) ? UrlRecord.NO_PORT : port;
            if (hasOverride()) {
                return State.DONE;
            }
        }
        if (hasOverride()) {
            return State.FAILURE; // No digits at all.
        }
        pointer = end;
        return State.PATH_START;
    }

    private boolean isAuthorityDelimiter(int c) {
        return c == '/' || c == '?' || c == '#' || (url.special && c == '\\');
    }

    // ---------------------------------------------------------------------------------------------
    // File URLs.

    private State file(int c) {
        url.setScheme("file");
        url.host = "";
        if (c == '/' || c == '\\') {
            pointer++;
            return State.FILE_SLASH;
        }
        if (base == null || !base.scheme.equals("file")) {
            return State.PATH;
        }

        url.host = base.host;
        url.setPathFrom(base);
        url.query = base.query;
        if (c == '?') {
            url.query = "";
            pointer++;
            return State.QUERY;
        }
        if (c == '#') {
            url.fragment = "";
            pointer++;
            return State.FRAGMENT;
        }
        if (c == EOF) {
            return State.DONE;
        }
        url.query = null;
        if (startsWithWindowsDriveLetter(pointer)) {
            url.pathSegments.clear(); // "C:/x" against a file URL replaces its whole path.
        } else {
            shortenPath();
        }
        return State.PATH;
    }

    private State fileSlash(int c) {
        if (c == '/' || c == '\\') {
            pointer++;
            return State.FILE_HOST;
        }
        if (base != null && base.scheme.equals("file")) {
            url.host = base.host;
            // "/x" against "file:///C:/y" keeps the drive letter: the result is "file:///C:/x".
            List<String> basePath = base.pathSegments;
            if (!startsWithWindowsDriveLetter(pointer) && !basePath.isEmpty() && isNormalizedWindowsDriveLetter(basePath.get(0))) {
                url.pathSegments.add(basePath.get(0));
            }
        }
        return State.PATH;
    }

    private State fileHost() {
        int end = pointer;
        while (end < length && !isFileHostDelimiter(input.charAt(end))) {
            end++;
        }
        String buffer = input.substring(pointer, end);
        if (!hasOverride() && isWindowsDriveLetter(buffer)) {
            // "file://C:/x": the drive letter is the first path segment, not a host. The path state
            // reads it again from the same position.
            return State.PATH;
        }

        if (buffer.isEmpty()) {
            url.host = "";
        } else {
            String host = HostParser.parse(buffer, !url.special);
            if (host == null) {
                return State.FAILURE;
            }
            url.host = host.equals("localhost") ? "" : host;
        }
        if (hasOverride()) {
            return State.DONE;
        }
        pointer = end;
        return State.PATH_START;
    }

    private static boolean isFileHostDelimiter(char c) {
        return c == '/' || c == '\\' || c == '?' || c == '#';
    }

    // ---------------------------------------------------------------------------------------------
    // Path, query and fragment.

    private State pathStart(int c) {
        if (url.special) {
            if (c == '/' || c == '\\') {
                pointer++;
            }
            return State.PATH;
        }
        if (!hasOverride() && c == '?') {
            url.query = "";
            pointer++;
            return State.QUERY;
        }
        if (!hasOverride() && c == '#') {
            url.fragment = "";
            pointer++;
            return State.FRAGMENT;
        }
        if (c != EOF) {
            if (c == '/') {
                pointer++;
            }
            return State.PATH;
        }
        if (hasOverride() && url.host == null) {
            url.pathSegments.add("");
        }
        return State.DONE;
    }

    /** Reads one path segment, then applies the dot-segment and Windows drive letter rules to it. */
    private State pathSegment() {
        int end = pointer;
        while (end < length && !isPathSegmentDelimiter(input.charAt(end))) {
            end++;
        }
        String segment = PercentEncoding.encode(input, pointer, end, EncodeSet.PATH, false);
        int c = codeUnitAt(end);
        boolean atSlash = c == '/' || (url.special && c == '\\');

        if (isDoubleDotSegment(segment)) {
            shortenPath();
            if (!atSlash) {
                url.pathSegments.add(""); // "/a/.." becomes "/", not "".
            }
        } else if (isSingleDotSegment(segment)) {
            if (!atSlash) {
                url.pathSegments.add("");
            }
        } else {
            if (url.scheme.equals("file") && url.pathSegments.isEmpty() && isWindowsDriveLetter(segment)) {
                segment = segment.charAt(0) + ":"; // "C|" becomes "C:".
            }
            url.pathSegments.add(segment);
        }

        pointer = end + 1;
        return atSlash ? State.PATH : queryOrFragmentAfter(c);
    }

    /**
     * Returns whether c ends a path segment. In a setter's value "?" and "#" do not end it, so
     * they are percent-encoded into the path.
     */
    private boolean isPathSegmentDelimiter(char c) {
        return c == '/' || (url.special && c == '\\') || (!hasOverride() && (c == '?' || c == '#'));
    }

    private State opaquePath() {
        int end = pointer;
        while (end < length && input.charAt(end) != '?' && input.charAt(end) != '#') {
            end++;
        }
        if (end < length && end > pointer && input.charAt(end - 1) == ' ') {
            // A space just before "?" or "#" is encoded, so that removing the query or fragment
            // later cannot leave a trailing space that the next parse would strip.
            url.setOpaquePath(PercentEncoding.encode(input, pointer, end - 1, EncodeSet.C0_CONTROL, false) + "%20");
        } else {
            url.setOpaquePath(PercentEncoding.encode(input, pointer, end, EncodeSet.C0_CONTROL, false));
        }
        pointer = end + 1;
        return queryOrFragmentAfter(codeUnitAt(end));
    }

    /** Returns the state that follows a path which ended at c: the query, the fragment, or the end. */
    private State queryOrFragmentAfter(int c) {
        if (c == '?') {
            url.query = "";
            return State.QUERY;
        }
        if (c == '#') {
            url.fragment = "";
            return State.FRAGMENT;
        }
        return State.DONE;
    }

    private State query() {
        int end = hasOverride() ? -1 : input.indexOf('#', pointer);
        if (end == -1) {
            end = length;
        }
        EncodeSet set = url.special ? EncodeSet.SPECIAL_QUERY : EncodeSet.QUERY;
        url.query += PercentEncoding.encode(input, pointer, end, set, false);
        if (end == length) {
            return State.DONE;
        }
        url.fragment = "";
        pointer = end + 1;
        return State.FRAGMENT;
    }

    private State fragment() {
        url.fragment += PercentEncoding.encode(input, pointer, length, EncodeSet.FRAGMENT, false);
        return State.DONE;
    }

    /**
     * Removes the last path segment, except the drive letter that is the only segment of a file
     * URL's path ("file:///C:/.." stays "file:///C:/").
     */
    private void shortenPath() {
        List<String> path = url.pathSegments;
        if (url.scheme.equals("file") && path.size() == 1 && isNormalizedWindowsDriveLetter(path.get(0))) {
            return;
        }
        if (!path.isEmpty()) {
            path.removeLast();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Code point and segment classes.

    private static boolean isAsciiAlpha(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSchemeCodePoint(int c) {
        return isAsciiAlpha(c) || isAsciiDigit(c) || c == '+' || c == '-' || c == '.';
    }

    /** Returns whether the string is an ASCII letter followed by ":" or "|". */
    private static boolean isWindowsDriveLetter(String string) {
        return string.length() == 2 && isAsciiAlpha(string.charAt(0)) && (string.charAt(1) == ':' || string.charAt(1) == '|');
    }

    /** Returns whether the string is an ASCII letter followed by ":". */
    private static boolean isNormalizedWindowsDriveLetter(String string) {
        return string.length() == 2 && isAsciiAlpha(string.charAt(0)) && string.charAt(1) == ':';
    }

    /** Returns whether the input at {@code index} is a drive letter followed by the end, "/", "\", "?" or "#". */
    private boolean startsWithWindowsDriveLetter(int index) {
        if (length - index < 2 || !isAsciiAlpha(input.charAt(index))) {
            return false;
        }
        char second = input.charAt(index + 1);
        if (second != ':' && second != '|') {
            return false;
        }
        return length - index == 2 || isFileHostDelimiter(input.charAt(index + 2));
    }

    private static boolean isSingleDotSegment(String segment) {
        return segment.equals(".") || segment.equalsIgnoreCase("%2e");
    }

    private static boolean isDoubleDotSegment(String segment) {
        return switch (segment.length()) {
            case 2 -> segment.equals("..");
            case 4 -> segment.equalsIgnoreCase(".%2e") || segment.equalsIgnoreCase("%2e.");
            case 6 -> segment.equalsIgnoreCase("%2e%2e");
            default -> false;
        };
    }
}
