package dev.mooring.host;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names the JVM's garbage collector for the host's start line by its usual name (serial, parallel,
 * G1, ZGC or Shenandoah), which it infers from the names of the collector's MXBeans.
 */
final class GarbageCollectors {

    /**
     * The system property that the {@code ./mooring} launcher sets to the collector it added to
     * the JVM's options, such as "serial". The launcher sets it only when it chose the collector,
     * which it does on machines with 2 CPUs or fewer unless MOORING_JAVA_OPTS names a collector.
     */
    static final String LAUNCHER_CHOICE_PROPERTY = "mooring.launcher.collector";

    private GarbageCollectors() {}

    /** Describes the collector of this JVM, and whether the launcher chose it. */
    static String describeThisJvm() {
        List<String> beanNames = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        return describe(beanNames, System.getProperty(LAUNCHER_CHOICE_PROPERTY));
    }

    /**
     * Describes the collector whose MXBeans have {@code beanNames}, such as "garbage collector G1".
     * When {@code launcherChoice} names that same collector, the description states that the
     * launcher picked it. A collector without a usual name is described by its MXBean names.
     *
     * @param launcherChoice the value of {@link #LAUNCHER_CHOICE_PROPERTY}, or null when unset
     */
    static String describe(Collection<String> beanNames, String launcherChoice) {
        String usualName = usualName(beanNames);
        if (usualName == null) {
            String sorted = beanNames.stream().sorted().collect(Collectors.joining(", "));
            return (beanNames.size() == 1 ? "garbage collector " : "garbage collectors ") + sorted;
        }
        if (usualName.equals(launcherChoice)) {
            return "garbage collector " + usualName + ", which the launcher picks on machines with 2 CPUs or fewer"
                    + " unless MOORING_JAVA_OPTS names a collector";
        }
        return "garbage collector " + usualName;
    }

    /**
     * Returns the usual name of the collector whose MXBeans have {@code beanNames}, or null for any
     * other collector. The bean names are those of HotSpot in JDK 25, such as "Copy" and
     * "MarkSweepCompact" for the serial collector.
     */
    static String usualName(Collection<String> beanNames) {
        if (beanNames.isEmpty()) {
            return null;
        }
        Set<String> names = Set.copyOf(beanNames);
        if (names.equals(Set.of("Copy", "MarkSweepCompact"))) {
            return "serial";
        }
        if (names.equals(Set.of("PS Scavenge", "PS MarkSweep"))) {
            return "parallel";
        }
        for (String prefix : List.of("G1", "ZGC", "Shenandoah")) {
            if (names.stream().allMatch(name -> name.startsWith(prefix + " "))) {
                return prefix;
            }
        }
        return null;
    }
}
