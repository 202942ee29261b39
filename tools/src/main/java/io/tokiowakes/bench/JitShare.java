package io.tokiowakes.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The share of a span of wall time the JIT spent compiling, from the JVM's
 * {@link CompilationMXBean}: compile time (summed over the compiler threads, and counted only when
 * a compile ends, so a long optimizing compile shows in the span it lands in) over the span's
 * length. The benchmark counts a run, phase or round as compiled once this is under
 * {@link #QUIET}.
 */
final class JitShare {

    /** Under this share (5 %) the JIT counts as quiet. */
    static final double QUIET = 0.05;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final long compiledMs = JIT.getTotalCompilationTime();
    private final long startNanos = System.nanoTime();

    private JitShare() {
    }

    /** A span starting now. */
    static JitShare start() {
        return new JitShare();
    }

    /** @return the JIT's compile time (ms) since the start over the wall time (ms) since it */
    double sinceStart() {
        double wallMs = (System.nanoTime() - startNanos) / 1e6;
        return (JIT.getTotalCompilationTime() - compiledMs) / wallMs;
    }
}
