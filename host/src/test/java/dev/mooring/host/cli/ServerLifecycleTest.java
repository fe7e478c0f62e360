package dev.mooring.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up check of listen addresses names the cause and the option to change. */
class ServerLifecycleTest {

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

    @Test
    void freeLoopbackPortPasses() {
        assertTrue(ServerLifecycle.portsAreFree(List.of(new ServerLifecycle.Listener("--port", "127.0.0.1", 0)), err));
        assertEquals("", errors.toString(StandardCharsets.UTF_8));
    }

    @Test
    void portInUseNamesPortOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertFalse(ServerLifecycle.portsAreFree(List.of(new ServerLifecycle.Listener("--port", "127.0.0.1", port)), err));

            assertEquals("mooring: cannot listen on 127.0.0.1:" + port + ": the address is already in use; stop the process"
                    + " that uses it, or pick another --port\n", errors.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void foreignAddressNamesHostOption() {
        // 192.0.2.1 is reserved for documentation (RFC 5737), so machines do not normally have it as an address.
        assertFalse(ServerLifecycle.portsAreFree(List.of(new ServerLifecycle.Listener("--admin-port", "192.0.2.1", 0)), err));

        assertEquals("mooring: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine; give one of its"
                + " own addresses with --admin-host, such as 127.0.0.1 or 0.0.0.0\n", errors.toString(StandardCharsets.UTF_8));
    }

    @Test
    void twoListenersOnOnePortNameBothOptions() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }

        assertFalse(ServerLifecycle.portsAreFree(List.of(new ServerLifecycle.Listener("--port", "127.0.0.1", port),
                new ServerLifecycle.Listener("--https-port", "127.0.0.1", port)), err));

        assertEquals("mooring: --port and --https-port are both " + port + "; give each listener its own port\n",
                errors.toString(StandardCharsets.UTF_8));
    }
}
