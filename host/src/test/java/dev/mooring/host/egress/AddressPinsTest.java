package dev.mooring.host.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pin table with a clock that the tests move by hand. */
class AddressPinsTest {

    private static final Duration LIFETIME = Duration.ofSeconds(40);
    private static final List<InetAddress> FIRST = List.of(InetAddress.ofLiteral("192.0.2.1"));
    private static final List<InetAddress> SECOND = List.of(InetAddress.ofLiteral("192.0.2.2"));

    private final AtomicLong now = new AtomicLong(1_000);

    private AddressPins pins(int capacity) {
        return new AddressPins(now::get, capacity);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void pinnedNameResolvesToApprovedAddresses() {
        AddressPins pins = pins(4);

        AddressPins.Lease lease = pins.pin("Api.Example.com", FIRST, LIFETIME).orElseThrow();

        assertEquals(FIRST, lease.addresses());
        assertEquals(Optional.of(FIRST), pins.lookup("api.example.com"));
        assertEquals(Optional.empty(), pins.lookup("other.example.com"));
    }

    @Test
    void entryExpiresAfterLifetime() {
        AddressPins pins = pins(4);
        pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();

        advance(LIFETIME.minusNanos(1));
        assertEquals(Optional.of(FIRST), pins.lookup("api.example.com"));

        advance(Duration.ofNanos(1));
        assertEquals(Optional.empty(), pins.lookup("api.example.com"));
        assertEquals(0, pins.size());
    }

    @Test
    void closingLastLeaseEndsEntry() {
        AddressPins pins = pins(4);
        AddressPins.Lease first = pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();
        AddressPins.Lease second = pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();

        first.close();
        first.close();
        assertEquals(Optional.of(FIRST), pins.lookup("api.example.com"), "one lease still holds the entry");

        second.close();
        assertEquals(Optional.empty(), pins.lookup("api.example.com"));
        assertEquals(0, pins.size());
    }

    @Test
    void laterCheckJoinsHeldEntryWithoutChangingIt() {
        AddressPins pins = pins(4);
        pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();

        AddressPins.Lease joined = pins.pin("api.example.com", SECOND, LIFETIME).orElseThrow();

        assertEquals(FIRST, joined.addresses(), "the joining check must be told the addresses it has to check");
        assertEquals(Optional.of(FIRST), pins.lookup("api.example.com"));
    }

    @Test
    void joiningExtendsExpiry() {
        AddressPins pins = pins(4);
        pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();
        advance(Duration.ofSeconds(30));
        pins.pin("api.example.com", SECOND, LIFETIME).orElseThrow();

        advance(Duration.ofSeconds(30));

        assertEquals(Optional.of(FIRST), pins.lookup("api.example.com"));
    }

    @Test
    void expiredEntryIsReplacedByNextCheck() {
        AddressPins pins = pins(4);
        AddressPins.Lease stale = pins.pin("api.example.com", FIRST, LIFETIME).orElseThrow();
        advance(LIFETIME);

        AddressPins.Lease fresh = pins.pin("api.example.com", SECOND, LIFETIME).orElseThrow();
        stale.close();

        assertEquals(SECOND, fresh.addresses());
        assertEquals(Optional.of(SECOND), pins.lookup("api.example.com"), "an old lease must not end the new entry");
    }

    @Test
    void fullTableRejectsNewNameUntilEntriesExpire() {
        AddressPins pins = pins(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(pins.pin("host" + i + ".example.com", FIRST, LIFETIME).isPresent());
        }

        assertEquals(Optional.empty(), pins.pin("host3.example.com", FIRST, LIFETIME));
        assertTrue(pins.pin("host0.example.com", FIRST, LIFETIME).isPresent(), "a pinned name can still be joined");
        assertEquals(3, pins.size());

        advance(LIFETIME);
        assertTrue(pins.pin("host3.example.com", FIRST, LIFETIME).isPresent());
        assertEquals(1, pins.size(), "expired entries are dropped when the table is full");
    }

    @Test
    void tableStaysBoundedUnderManyNames() {
        AddressPins pins = pins(16);

        for (int i = 0; i < 1_000; i++) {
            pins.pin("host" + i + ".example.com", FIRST, LIFETIME);
            assertTrue(pins.size() <= 16, "size " + pins.size() + " after " + (i + 1) + " names");
            advance(Duration.ofSeconds(5));
        }
    }

    @Test
    void emptyAnswerIsRejected() {
        AddressPins pins = pins(4);

        assertThrows(IllegalArgumentException.class, () -> pins.pin("api.example.com", List.of(), LIFETIME));
    }
}
