package dev.mooring.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;

/**
 * The versions that {@code ./mooring --version} prints: Mooring's, GraalJS's and its polyglot
 * API's, and the Java runtime's, one line each.
 *
 * <p>Mooring's version comes from {@value #VERSION_RESOURCE}, which Maven fills with the project
 * version at build time, so the pom is the only place it is written. The GraalJS and polyglot
 * versions come from the manifests of the jars that this JVM loaded, so they name what runs even
 * when someone swapped a jar. Reading them loads two classes and creates no engine.
 *
 * @param mooring Mooring's project version, such as {@code 0.1.0-SNAPSHOT}
 * @param graalJs the version of the GraalJS language jar, or {@value #UNKNOWN}
 * @param polyglot the version of the polyglot API jar, or {@value #UNKNOWN}
 * @param java the Java runtime's version with its vendor build and VM name
 */
record Versions(String mooring, String graalJs, String polyglot, String java) {

    /** The class-path resource that contains Mooring's version, written by Maven's resource filtering. */
    static final String VERSION_RESOURCE = "/dev/mooring/host/version.properties";

    /** Text in place of a version that no manifest states. */
    static final String UNKNOWN = "unknown";

    /** A class of the GraalJS language jar, loaded without running its static initializer. */
    private static final String GRAALJS_CLASS = "com.oracle.truffle.js.lang.JavaScriptLanguage";

    /** A class of the polyglot API jar. */
    private static final String POLYGLOT_CLASS = "org.graalvm.polyglot.Engine";

    /** Reads the versions of this process. */
    static Versions current() {
        return new Versions(mooringVersion(), jarVersion(GRAALJS_CLASS), jarVersion(POLYGLOT_CLASS), javaVersion());
    }

    /** Returns the lines that {@code --version} prints. */
    List<String> lines() {
        return List.of("Mooring " + mooring, "GraalJS " + graalJs + " (polyglot API " + polyglot + ")", "Java " + java);
    }

    /** Prints {@link #lines()} to {@code out}. */
    void print(PrintStream out) {
        lines().forEach(out::println);
    }

    private static String mooringVersion() {
        try (InputStream in = Versions.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_RESOURCE + " is missing from the build of mooring-host");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + VERSION_RESOURCE + " failed", e);
        }
    }

    /**
     * Returns the Implementation-Version of the jar that contains {@code className}. The launcher
     * puts the GraalVM jars on the module path, where the manifest is a resource of the module. On
     * the class path, as in tests, the class's package carries it.
     */
    private static String jarVersion(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, Versions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return UNKNOWN;
        }
        Module module = type.getModule();
        if (!module.isNamed()) {
            return Optional.ofNullable(type.getPackage().getImplementationVersion()).orElse(UNKNOWN);
        }
        try (InputStream in = module.getResourceAsStream("META-INF/MANIFEST.MF")) {
            if (in == null) {
                return UNKNOWN;
            }
            return Optional.ofNullable(new Manifest(in).getMainAttributes().getValue("Implementation-Version")).orElse(UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /**
     * Returns the runtime version followed by the vendor's build name and the VM, such as
     * "25.0.3+9-LTS (Temurin-25.0.3+9, OpenJDK 64-Bit Server VM)".
     */
    private static String javaVersion() {
        String vendorBuild = System.getProperty("java.vendor.version");
        String vm = System.getProperty("java.vm.name", UNKNOWN);
        String details = vendorBuild == null || vendorBuild.isBlank() ? vm : vendorBuild + ", " + vm;
        return Runtime.version() + " (" + details + ")";
    }
}
