package dev.mooring.sandbox;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers and restores the operating system's scheduling priority of single event-loop threads, so
 * that a guest event that runs long yields the CPU to the short events of other scripts.
 *
 * <p>On Linux, {@code sched_setscheduler(tid, SCHED_IDLE)} moves one thread into the idle
 * scheduling class: it runs only on CPU time no normal thread wants, and a normal thread that
 * wakes up preempts it at once. Any process may demote its threads that way; moving a thread back
 * to SCHED_OTHER needs CAP_SYS_NICE or an RLIMIT_NICE of 20. So {@link #detect} tries both on a
 * probe thread at start, and where the restore is refused it returns a priority control that does
 * nothing: a loop thread that stayed demoted would slow every later event of its script.
 *
 * <p>Thread safety: {@link #demote} may be called from any thread for a loop's native thread id;
 * {@link #restoreCurrentThread} only from the loop thread itself. Neither ever throws.
 */
public final class ThreadPriority {

    private static final Logger log = LoggerFactory.getLogger(ThreadPriority.class);

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;
    static final int UNKNOWN_THREAD = -1;

    /** Does nothing: for systems where a demoted thread could not be restored. */
    public static final ThreadPriority NONE = new ThreadPriority(null, null, null);

    /** libc's gettid(), or null off Linux. */
    private static final MethodHandle GETTID = lookUpGettid();

    private final MethodHandle setscheduler;
    private final StructLayout callState;
    private final VarHandle errno;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private ThreadPriority(MethodHandle setscheduler, StructLayout callState, VarHandle errno) {
        this.setscheduler = setscheduler;
        this.callState = callState;
        this.errno = errno;
    }

    /**
     * Returns a priority control that works on this system, or {@link #NONE}. Logs once which of
     * the two it is, with the reason when it is {@link #NONE}.
     */
    public static ThreadPriority detect() {
        Optional<ThreadPriority> linux = linux();
        if (linux.isEmpty()) {
            log.info("Long guest events keep their thread priority: this system has no per-thread sched_setscheduler()");
            return NONE;
        }
        ThreadPriority priority = linux.get();
        String failure = priority.probe();
        if (failure != null) {
            log.info("Long guest events keep their thread priority: {}", failure);
            return NONE;
        }
        log.info("Long guest events lose their thread priority: a run of guest code past {} ms of CPU time moves its"
                + " event-loop thread to the SCHED_IDLE scheduling class until the run ends", CpuWatchdog.DEMOTE_AFTER.toMillis());
        return priority;
    }

    private static boolean onLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static MethodHandle lookUpGettid() {
        if (!onLinux()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("gettid")
                    .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            log.debug("gettid() is unavailable", e);
            return null;
        }
    }

    private static Optional<ThreadPriority> linux() {
        if (GETTID == null) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> setscheduler = linker.defaultLookup().find("sched_setscheduler");
            if (setscheduler.isEmpty()) {
                return Optional.empty();
            }
            StructLayout callState = Linker.Option.captureStateLayout();
            VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            return Optional.of(new ThreadPriority(
                    linker.downcallHandle(setscheduler.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                            Linker.Option.captureCallState("errno")),
                    callState, errno));
        } catch (RuntimeException | LinkageError e) {
            log.debug("Native thread priority calls are unavailable", e);
            return Optional.empty();
        }
    }

    /** Demotes and restores a short-lived thread; returns why that failed, or null. */
    private String probe() {
        String[] failure = {null};
        Thread probe = Thread.ofPlatform().name("mooring-priority-probe").start(() -> {
            int tid = currentThreadId();
            if (tid == UNKNOWN_THREAD) {
                failure[0] = "gettid() failed";
                return;
            }
            int demoted = set(tid, SCHED_IDLE);
            int restored = demoted == 0 ? set(0, SCHED_OTHER) : demoted;
            if (demoted != 0) {
                failure[0] = "sched_setscheduler() failed to demote a thread (errno " + demoted + ")";
            } else if (restored != 0) {
                failure[0] = "the process may not raise a thread's priority back (errno " + restored
                        + "; it needs CAP_SYS_NICE or an RLIMIT_NICE of 20)";
            }
        });
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing";
        }
        return failure[0];
    }

    /** Returns whether demotion takes effect on this system. */
    public boolean available() {
        return this != NONE;
    }

    /** Returns the calling thread's native id, or -1 where it is unknown. */
    static int currentThreadId() {
        if (GETTID == null) {
            return UNKNOWN_THREAD;
        }
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable e) {
            return UNKNOWN_THREAD;
        }
    }

    /** Moves the thread to the idle scheduling class; returns whether that took effect. */
    boolean demote(int nativeThreadId) {
        return nativeThreadId != UNKNOWN_THREAD && setscheduler != null && checked(set(nativeThreadId, SCHED_IDLE), "demote");
    }

    /** Moves the calling thread to the idle scheduling class; returns whether that took effect. */
    boolean demoteCurrentThread() {
        return setscheduler != null && checked(set(0, SCHED_IDLE), "demote");
    }

        /** Moves the calling thread back to the normal scheduling class. */
    void restoreCurrentThread() {
        if (setscheduler != null) {
            checked(set(0, SCHED_OTHER), "restore");
        }
    }

    private boolean checked(int errorNumber, String what) {
        if (errorNumber == 0) {
            return true;
        }
        if (failureLogged.compareAndSet(false, true)) {
            log.warn("Could not {} the priority of an event-loop thread (errno {}); further failures are not logged", what,
                    errorNumber);
        }
        return false;
    }

    /** Moves one thread (0 is the calling thread) to a scheduling policy; returns 0 or errno. */
    private int set(int nativeThreadId, int policy) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment parameters = arena.allocate(JAVA_INT); // struct sched_param: priority 0, as both policies need
            int result = (int) setscheduler.invokeExact(state, nativeThreadId, policy, parameters);
            return result == 0 ? 0 : Math.max(1, (int) errno.get(state, 0L));
        } catch (Throwable e) {
            return Integer.MAX_VALUE;
        }
    }
}
