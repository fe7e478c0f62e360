package dev.mooring.host.egress;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Host names whose DNS answer the egress check approved, with the approved addresses. While an
 * entry is live, {@link PinningResolver} returns its addresses to every lookup of that name in
 * this JVM, so the JDK HTTP client connects only to addresses that a check saw.
 *
 * <p>Lifetime: a check creates an entry with {@link #pin}, and the returned {@link Lease} holds it
 * until the request of that hop has its response headers or has failed. A check of the same name
 * while the entry is held joins the entry and gets its addresses back, which may differ from its
 * own DNS answer, so that it can check them too. A held entry's addresses never change: no hop
 * connects to addresses that a later check put in. An entry ends when its last lease is closed,
 * or when its expiry time passes, whichever comes first. The expiry time is the latest that any
 * lease asked for, so a lease that is never closed cannot keep a name pinned for longer.
 *
 * <p>Memory: at most {@code capacity} names are pinned at once. When the table is full, expired
 * entries are dropped; when all are live, {@link #pin} returns empty and the caller must fail its
 * request instead of connecting to an address the resolver has not pinned.
 *
 * <p>Threads: every method may be called from any thread. All state is guarded by this object's
 * lock, which is held only for map operations, never during a DNS lookup. This class never does a
 * DNS lookup.
 */
final class AddressPins {

    /** The table that the JVM's resolver consults; every egress client pins into it. */
    static final AddressPins SHARED = new AddressPins(System::nanoTime, 10_000);

    private final LongSupplier nanoClock;
    private final int capacity;
    /** Guarded by {@code this}. Keys are host names in lowercase. */
    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * @param nanoClock the time in nanoseconds, such as {@link System#nanoTime}
     * @param capacity the maximum number of names pinned at once
     */
    AddressPins(LongSupplier nanoClock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The pin table's capacity must be at least 1, got " + capacity);
        }
        this.nanoClock = nanoClock;
        this.capacity = capacity;
    }

    /** A hold on one entry; {@link #close} releases it, and a second close does nothing. */
    final class Lease implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private boolean closed;

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** Returns the pinned addresses, which are those of the check that created the entry. */
        List<InetAddress> addresses() {
            return entry.addresses;
        }

        @Override
        public void close() {
            synchronized (AddressPins.this) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.holders--;
                // A lease of an entry that expired and was replaced must not end the new entry.
                if (entry.holders == 0 && entries.get(key) == entry) {
                    entries.remove(key);
                }
            }
        }
    }

    private static final class Entry {
        final List<InetAddress> addresses;
        int holders;
        long expiresAt;

        Entry(List<InetAddress> addresses, long expiresAt) {
            this.addresses = addresses;
            this.expiresAt = expiresAt;
        }
    }

    /**
     * Pins {@code host} to {@code approved}, or joins the live entry of that name.
     *
     * @param approved the addresses that the check resolved and approved; not empty
     * @param lifetime how long the caller may hold the entry at most
     * @return the lease, whose addresses the caller must check when they differ from {@code
     *     approved}; empty when {@code capacity} other names are pinned and live
     */
    synchronized Optional<Lease> pin(String host, List<InetAddress> approved, Duration lifetime) {
        if (approved.isEmpty()) {
            throw new IllegalArgumentException("No addresses to pin for " + host);
        }
        String key = host.toLowerCase(Locale.ROOT);
        long now = nanoClock.getAsLong();
        long expiresAt = now + lifetime.toNanos();
        Entry entry = liveEntry(key, now);
        if (entry == null) {
            if (entries.size() >= capacity) {
                dropExpired(now);
            }
            if (entries.size() >= capacity) {
                return Optional.empty();
            }
            entry = new Entry(List.copyOf(approved), expiresAt);
            entries.put(key, entry);
        } else if (expiresAt - entry.expiresAt > 0) {
            entry.expiresAt = expiresAt;
        }
        entry.holders++;
        return Optional.of(new Lease(key, entry));
    }

    /** Returns the pinned addresses of {@code host}, or empty when it has no live entry. */
    synchronized Optional<List<InetAddress>> lookup(String host) {
        Entry entry = liveEntry(host.toLowerCase(Locale.ROOT), nanoClock.getAsLong());
        return entry == null ? Optional.empty() : Optional.of(entry.addresses);
    }

    /** Returns the number of entries in the table, expired ones not yet dropped included. */
    synchronized int size() {
        return entries.size();
    }

    /** Returns the entry of {@code key} when it has not expired, and drops it when it has. */
    private Entry liveEntry(String key, long now) {
        Entry entry = entries.get(key);
        if (entry != null && now - entry.expiresAt >= 0) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    private void dropExpired(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now - it.next().expiresAt >= 0) {
                it.remove();
            }
        }
    }
}
