package dev.mooring.host.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Optional;

/**
 * Installs {@link PinningResolver}, over the JDK's built-in resolver and {@link
 * AddressPins#SHARED}, as the JVM's resolver. The host module registers this class in {@code
 * META-INF/services/java.net.spi.InetAddressResolverProvider}.
 *
 * <p>The JVM looks for a provider once, at its first name lookup, and keeps what it found until it
 * exits. It uses the built-in resolver when no provider is on the class path, or when the {@code
 * jdk.net.hosts.file} system property is set; then {@link #installed()} stays empty and the egress
 * client rejects requests to host names. Threads: the JVM calls {@link #get} at most once, under
 * its own lock (as {@code InetAddress} of JDK 25 does), and the installed resolver is published through a volatile field. Never logs,
 * because logging may itself resolve names while the JVM is still loading this provider.
 */
public final class PinningResolverProvider extends InetAddressResolverProvider {

    private static volatile PinningResolver installed;

    /** Called by {@link java.util.ServiceLoader}. */
    public PinningResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        PinningResolver resolver = new PinningResolver(configuration.builtinResolver(), AddressPins.SHARED);
        installed = resolver;
        return resolver;
    }

    @Override
    public String name() {
        return "mooring-egress-pinning";
    }

    /**
     * Returns the JVM's resolver when it is this provider's. Until the JVM has chosen its resolver,
     * each call first looks up {@code localhost}, which makes it choose. The hosts file normally
     * resolves that name.
     */
    static Optional<PinningResolver> installed() {
        if (installed == null) {
            try {
                InetAddress.getByName("localhost");
            } catch (UnknownHostException e) {
                // The JVM chose its resolver before the lookup failed, which is all this lookup is for.
            }
        }
        return Optional.ofNullable(installed);
    }
}
