package dev.mooring.host.objects;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives and checks the object IDs of one namespace the way workerd does, so that IDs match
 * those of {@code wrangler dev} for the same worker and class names.
 *
 * <p>The namespace key is SHA-256 of the namespace's unique key (workerd's local mode uses
 * {@code "<worker name>-<class name>"}). An ID is 32 bytes: the first 16 are HMAC-SHA256(key,
 * name) cut to 16 bytes for {@code idFromName}, or 16 random bytes for {@code newUniqueId}; the last
 * 16 are HMAC-SHA256(key, first 16) cut to 16 bytes, which lets {@code idFromString} reject IDs of
 * other namespaces. Thread-safe.
 */
public final class NamespaceIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NAMED_ID_CACHE_SIZE = 4096;
    private static final int HALF = ObjectId.LENGTH / 2;

    private final String uniqueKey;
    private final SecretKeySpec key;
    /** One initialized Mac per thread: a Mac is not thread-safe, and creating one is slow. */
    private final ThreadLocal<Mac> macs;
    /**
     * IDs of recently used names. Handlers derive the same IDs on every request, and two
     * HMAC-SHA256 computations per call are a visible share of a request's cost. Cleared when full.
     */
    private final Map<String, ObjectId> namedIds = new ConcurrentHashMap<>();

    public NamespaceIdentity(String uniqueKey) {
        this.uniqueKey = uniqueKey;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(uniqueKey.getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(digest, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks SHA-256", e);
        }
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The key this identity was derived from, such as {@code "seed-counter-Counter"}. */
    public String uniqueKey() {
        return uniqueKey;
    }

    /** Returns the ID that {@code name} always maps to in this namespace. */
    public ObjectId idFromName(String name) {
        ObjectId cached = namedIds.get(name);
        if (cached != null) {
            return cached;
        }
        ObjectId id = withMac(Arrays.copyOf(hmac(name.getBytes(StandardCharsets.UTF_8)), HALF));
        if (namedIds.size() >= NAMED_ID_CACHE_SIZE) {
            namedIds.clear();
        }
        namedIds.put(name, id);
        return id;
    }

    /** Returns a new random ID of this namespace. */
    public ObjectId newUniqueId() {
        byte[] first = new byte[HALF];
        RANDOM.nextBytes(first);
        return withMac(first);
    }

    /** Whether {@code id} carries this namespace's MAC, that is, was made by this namespace. */
    public boolean isValid(ObjectId id) {
        byte[] bytes = id.bytes();
        byte[] expected = Arrays.copyOf(hmac(Arrays.copyOf(bytes, HALF)), HALF);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, HALF, ObjectId.LENGTH));
    }

    private ObjectId withMac(byte[] first) {
        byte[] bytes = Arrays.copyOf(first, ObjectId.LENGTH);
        System.arraycopy(hmac(first), 0, bytes, HALF, HALF);
        return ObjectId.of(bytes);
    }

    private byte[] hmac(byte[] data) {
        return macs.get().doFinal(data);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks HmacSHA256", e);
        }
    }
}
