package io.tokiowakes.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.emit.WakeEdge;
import io.tokiowakes.model.WakeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Each wake names the resources the woken task had registered its waker with in its latest poll:
 * the {@code waker.clone}s of that task whose parent chain reaches a {@code runtime.resource}.
 */
class WaitsOnTest {

    private static final long WORKER = 1;
    private static final long TICKER = 10;
    private static final long OTHER = 11;

    /** A multi-thread worker on ThreadId(2) inside its own span: wakes outside tasks there are RUNTIME. */
    private static TraceScript runtime() {
        return new TraceScript("svc").workerSpan(WORKER).on("ThreadId(2)", "tokio-rt-worker").enter(WORKER);
    }

    @Test
    void aTimerWakeNamesTheSleepItsTaskWaitsIn() {
        TraceScript s = runtime().task(TICKER, "ticker")
                .enter(TICKER)
                .resource(20, null, "timer", "Sleep", 12).asyncOp(21, 20, 22, "Sleep::new_timeout")
                .cloneWaker(TICKER, 22L)
                .exit(TICKER)
                .wake(TICKER, WORKER)
                .poll(TICKER);
        WakeEdge edge = only(run(s).wakesOf(TICKER));
        assertEquals(WakeKind.RUNTIME, edge.kind());
        assertEquals(List.of("20 timer Sleep src/main.rs:12:5"), waitsOn(edge));
    }

    @Test
    void aSemaphoreIsNamedByItsOwnSpanNotTheInternalOne() {
        // Tokio < 1.35: Semaphore::new creates the internal batch semaphore inside its own span.
        TraceScript s = runtime().task(TICKER, "acquirer").task(OTHER, "releaser")
                .resource(30, TICKER, "Sync", "Semaphore", 40).internalResource(31, 30L, "Semaphore")
                .enter(TICKER)
                .asyncOp(32, 31, 33, "Acquire::new")
                .cloneWaker(TICKER, 33L)
                .exit(TICKER)
                .enter(OTHER).wake(TICKER, OTHER).exit(OTHER)
                .poll(TICKER);
        WakeEdge edge = only(run(s).wakesOf(TICKER));
        assertEquals(WakeKind.TASK, edge.kind());
        assertEquals(List.of("30 Sync Semaphore src/main.rs:40:5"), waitsOn(edge));
    }

    @Test
    void anInternalResourceWithoutItsOwnerIsNamedAsItIs() {
        // Tokio >= 1.35: the internal batch semaphore is a root; the trace does not show its owner.
        TraceScript s = runtime().task(TICKER, "acquirer").task(OTHER, "releaser")
                .internalResource(31, null, "Semaphore")
                .enter(TICKER).asyncOp(32, 31, 33, "Acquire::new").cloneWaker(TICKER, 33L).exit(TICKER)
                .enter(OTHER).wake(TICKER, OTHER).exit(OTHER);
        assertEquals(List.of("31 Sync Semaphore null"), waitsOn(only(run(s).wakesOf(TICKER))));
    }

    @Test
    void twoResourcesInOneSelectAreBothNamed() {
        // select! { _ = sleep(..) => .., _ = rx => .. }: one poll registers with both.
        TraceScript s = runtime().task(TICKER, "selector").task(OTHER, "sender")
                .enter(TICKER)
                .resource(20, null, "timer", "Sleep", 12).asyncOp(21, 20, 22, "Sleep::new_timeout")
                .cloneWaker(TICKER, 22L)
                .resource(40, null, "Sync", "Sender|Receiver", 14).asyncOp(41, 40, 42, "Receiver::await")
                .cloneWaker(TICKER, 42L)
                .cloneWaker(TICKER, 42L) // registered again: named once
                .exit(TICKER)
                .enter(OTHER).wake(TICKER, OTHER).exit(OTHER);
        assertEquals(List.of("20 timer Sleep src/main.rs:12:5", "40 Sync Sender|Receiver src/main.rs:14:5"),
                waitsOn(only(run(s).wakesOf(TICKER))));
    }

    @Test
    void aWakerClonedOutsideAnyResourceNamesNone() {
        // An mpsc receiver's AtomicWaker, yield_now, a hand-written future: the clone's parent is the task.
        TraceScript s = runtime().task(TICKER, "receiver").task(OTHER, "sender")
                .enter(TICKER).cloneWaker(TICKER, TICKER).exit(TICKER)
                .enter(OTHER).wake(TICKER, OTHER).exit(OTHER);
        TopologyHarness h = run(s);
        assertEquals(List.of(), waitsOn(only(h.wakesOf(TICKER))));
        // The wire shape: an empty list is left out of the JSON.
        JsonNode wire = only(h.edgesTo(TICKER));
        assertFalse(wire.has("waits_on"), "left out when empty: " + wire);
    }

    @Test
    void onlyTheLatestPollCountsAndAClosedResourceIsGone() {
        TraceScript s = runtime().task(TICKER, "ticker").task(OTHER, "sender")
                .enter(TICKER)
                .resource(20, null, "timer", "Sleep", 12).asyncOp(21, 20, 22, "Sleep::new_timeout")
                .cloneWaker(TICKER, 22L)
                .exit(TICKER)
                .wake(TICKER, WORKER)
                .enter(TICKER) // this poll registers nowhere the trace shows
                .close(22).close(21).close(20)
                .cloneWaker(TICKER, TICKER)
                .exit(TICKER)
                .enter(OTHER).wake(TICKER, OTHER).exit(OTHER);
        List<WakeEdge> edges = run(s).wakesOf(TICKER);
        assertEquals(2, edges.size());
        assertEquals(List.of("20 timer Sleep src/main.rs:12:5"), waitsOn(edges.get(0)));
        assertEquals(List.of(), waitsOn(edges.get(1)));
    }

    @Test
    void resourcesAreForgottenAtTheirClose() {
        TraceScript s = runtime().task(TICKER, "ticker")
                .resource(20, null, "timer", "Sleep", 12).asyncOp(21, 20, 22, "Sleep::new_timeout")
                .resource(23, null, "timer", "Sleep", 13)
                .close(22).close(21).close(20);
        try (TopologyHarness h = new TopologyHarness().run(s)) {
            assertEquals(1, h.storeEntries(StoreNames.LIVE_RESOURCES), "only the Sleep still open");
        }
    }

    private static TopologyHarness run(TraceScript s) {
        TopologyHarness h = new TopologyHarness();
        h.run(s);
        h.close();
        return h;
    }

    private static <T> T only(List<T> edges) {
        assertEquals(1, edges.size(), edges.toString());
        return edges.get(0);
    }

    /** Each resource as "span kind type loc". */
    static List<String> waitsOn(WakeEdge edge) {
        return edge.waitsOn().stream().map(r -> r.spanId() + " " + r.kind() + " " + r.concreteType() + " " + r.loc())
                .toList();
    }
}
