package io.tokiowakes.topology;

import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.model.AnomalyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokio < 1.35 makes a task span the parent of the task spans spawned in it, and tracing's
 * registry closes a span only after its children: a finished task's span_close can come long
 * after it returned Ready. Such a task is not a lost waker; a task that really lost its waker is
 * reported once its last child has closed and the grace has passed.
 */
class HeldOpenParentTest {

    private static final String WORKER = "ThreadId(2)";
    private static final long GRACE_NANOS = JobSettings.defaults().lints().lostWakerGraceNanos();

    /** A random tree of tasks, each spawned by its parent's second poll. */
    private static final class Tree {
        final Map<Long, List<Long>> children = new HashMap<>();
        final List<Long> all = new ArrayList<>();
        long nextSpan = 100;

        Tree(Random random, long root, int depth) {
            grow(random, root, depth);
        }

        private void grow(Random random, long span, int depth) {
            all.add(span);
            List<Long> kids = new ArrayList<>();
            int n = depth == 0 ? 0 : random.nextInt(4);
            for (int i = 0; i < n; i++) {
                long kid = nextSpan++;
                kids.add(kid);
                grow(random, kid, depth - 1);
            }
            children.put(span, kids);
        }
    }

    /** What the generated trace did, to check the job's results against. */
    private static final class Script {
        final TraceScript t;
        final Random random;
        final boolean dropPairs;
        final long lost;
        /** Trace time at which each task's last child closed (or it finished, if later). */
        final Map<Long, Long> releasedAt = new HashMap<>();

        Script(String source, Random random, boolean dropPairs, long lost) {
            this.t = new TraceScript(source);
            this.random = random;
            this.dropPairs = dropPairs;
            this.lost = lost;
        }

        /**
         * Poll 1: Pending with its waker cloned; a timer wake; poll 2: spawns the children and
         * returns Ready (the lost task instead drops its waker and returns Pending). The children
         * then run one after the other, each for up to 20 ms; the span closes right after the
         * last child's.
         */
        void run(Tree tree, long span) {
            t.advanceMillis(random.nextInt(3)).enter(span).cloneWaker(span, (Long) span).exit(span)
                    .advanceMillis(random.nextInt(20)).wake(span, null).enter(span);
            for (long kid : tree.children.get(span)) {
                t.taskUnder(kid, "t" + kid, span);
            }
            if (span == lost) {
                t.cloneWaker(span, (Long) span).dropWaker(span, (Long) span);
            }
            t.exit(span);
            if (dropPairs && span != lost) {
                t.poll(span); // Tokio entering the span to drop the finished future
            }
            long released = t.now();
            for (long kid : tree.children.get(span)) {
                run(tree, kid);
                released = t.now();
            }
            releasedAt.put(span, released);
            if (span != lost && !holdsLost(tree, span)) {
                t.advanceMicros(1 + random.nextInt(50)).close(span);
            }
        }

        /** The lost task never closes, and so neither do its ancestors' spans. */
        boolean holdsLost(Tree tree, long span) {
            if (span == lost) {
                return true;
            }
            for (long kid : tree.children.get(span)) {
                if (holdsLost(tree, kid)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Script generate(long seed, boolean dropPairs, boolean withLost) {
        Random random = new Random(seed);
        Tree tree = new Tree(random, 1, 3);
        long lost = withLost ? tree.all.get(random.nextInt(tree.all.size())) : -1;
        Script s = new Script("svc-" + seed, random, dropPairs, lost);
        s.t.on(WORKER, "tokio-runtime-worker").task(1, "t1");
        s.run(tree, 1);
        // Something else keeps the source's clock going past the grace.
        s.t.task(99, "busy");
        for (int i = 0; i < 20; i++) {
            s.t.advanceMillis(1).enter(99).cloneWaker(99, 99L).exit(99).wake(99, null);
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void finishedParentsHeldOpenByTheirChildrenAreNeverLostWakers(long seed) {
        for (boolean dropPairs : new boolean[]{false, true}) {
            Script s = generate(seed, dropPairs, false);
            try (TopologyHarness h = new TopologyHarness().run(s.t)) {
                assertEquals(List.of(), h.allAnomalies(), "seed " + seed + ", drop pairs " + dropPairs);
                for (long span : s.releasedAt.keySet()) {
                    assertEquals(2, h.summaryOf(span).polls(), "polls of span " + span);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void aTaskThatLostItsWakerIsReportedOnceItsChildrenClosed(long seed) {
        Script s = generate(seed, false, true);
        try (TopologyHarness h = new TopologyHarness().run(s.t)) {
            List<Anomaly> anomalies = h.allAnomalies();
            List<Anomaly> lost = anomalies.stream().filter(a -> a.type() == AnomalyType.LOST_WAKER).toList();
            assertEquals(1, lost.size(), "seed " + seed + ": " + anomalies);
            assertEquals(s.lost, lost.get(0).task().spanId());
            assertEquals(1, anomalies.size(), "nothing else: " + anomalies);
            assertTrue(lost.get(0).tsNanos() >= s.releasedAt.get(s.lost) + GRACE_NANOS,
                    "reported only a grace after its last child closed");
        }
    }

    @Test
    void theChildOfAReusedSpanIdDoesNotReleaseTheNewTask() {
        // Parent 20 spawns 21; 20's close comes (out of the registry's order, e.g. records
        // lost) and the ID is reused by task 20' with a child of its own, 22, still open.
        // 21's close must not count against 20'.
        TraceScript t = new TraceScript("svc").on(WORKER, "w").task(20, "old-parent")
                .enter(20).taskUnder(21, "old-child", 20).exit(20).close(20)
                .task(20, "new-parent").enter(20).taskUnder(22, "new-child", 20).exit(20)
                .enter(21).cloneWaker(21, 21L).exit(21).enter(22).cloneWaker(22, 22L).exit(22)
                .close(21).task(99, "busy");
        for (int i = 0; i < 20; i++) {
            t.advanceMillis(1).enter(99).cloneWaker(99, 99L).exit(99).wake(99, null);
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(), h.anomalyTypesOf(20), "new-parent is held open by new-child");
        }
    }

    @Test
    void aRootTaskOfNewerTokioThatLooksLostIsStillReported() {
        // Tokio >= 1.35: task spans are roots, nothing holds a finished task's span open,
        // so one that lingers idle without a waker is reported as before.
        TraceScript t = new TraceScript("svc").on(WORKER, "w").task(20, "parent")
                .enter(20).task(21, "root-child").exit(20)
                .enter(21).cloneWaker(21, 21L).exit(21);
        for (int i = 0; i < 20; i++) {
            t.advanceMillis(1).enter(21).cloneWaker(21, 21L).exit(21).wake(21, null);
        }
        try (TopologyHarness h = new TopologyHarness().run(t)) {
            assertEquals(List.of(AnomalyType.LOST_WAKER), h.anomalyTypesOf(20));
        }
    }
}
