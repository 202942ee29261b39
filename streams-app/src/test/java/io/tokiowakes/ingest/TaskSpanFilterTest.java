package io.tokiowakes.ingest;

import io.tokiowakes.model.Table;
import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakerOp;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter keeps a task span's records and drops other spans' records whatever order they
 * arrive in, and what it holds survives a restart of its task.
 */
class TaskSpanFilterTest {

    private static final long WINDOW = 200;

    private final Table<String> index = Table.inMemory();
    private final Table<Held> heldTable = Table.inMemory();
    private final List<TraceRecord> kept = new ArrayList<>();
    private TaskSpanFilter filter = new TaskSpanFilter(index, heldTable, WINDOW);

    @Test
    void aTaskEnteredBeforeItsSpanNewArrivesPassesWithIt() {
        accept(span(RecordType.SPAN_ENTER, 5, 2), 1000);
        accept(span(RecordType.SPAN_EXIT, 5, 3), 1001);
        assertEquals(List.of(), kept, "held until the span is known");
        accept(task(5, 1), 1002);
        assertEquals(List.of(1L, 2L, 3L), seqs());
        accept(span(RecordType.SPAN_ENTER, 5, 4), 1003);
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs());
        assertEquals(0, filter.heldRecords());
        assertEquals(0, entries(heldTable));
    }

    @Test
    void otherSpansStopHereAndUnknownOnesStopAfterTheWindow() {
        accept(userSpan(7, 1), 1000);
        accept(span(RecordType.SPAN_ENTER, 7, 2), 1001);
        accept(span(RecordType.SPAN_ENTER, 9, 3), 1002); // never created in this input
        assertEquals(List.of(), kept);
        assertEquals(1, filter.heldRecords());
        assertEquals(1002, filter.oldestHeldMs());
        filter.expire(1002 + WINDOW - 1);
        assertEquals(1, filter.heldRecords(), "still within the window");
        filter.expire(1002 + WINDOW);
        assertEquals(0, filter.heldRecords());
        assertEquals(Long.MAX_VALUE, filter.oldestHeldMs());
        accept(span(RecordType.SPAN_EXIT, 9, 4), 1300);
        assertEquals(0, filter.heldRecords(), "span 9 is known not to be a task now");
        assertEquals(List.of(), kept);
    }

    @Test
    void recordsOfATaskThatArriveAfterItsCloseStillPass() {
        accept(task(5, 1), 1000);
        accept(span(RecordType.SPAN_ENTER, 5, 2), 1001);
        accept(span(RecordType.SPAN_CLOSE, 5, 4), 1002); // closed on another thread, sent first
        accept(span(RecordType.SPAN_EXIT, 5, 3), 1003);
        assertEquals(List.of(1L, 2L, 4L, 3L), seqs());
        filter.expire(1002 + WINDOW);
        assertEquals(0, entries(index), "forgotten a window after the close");
        accept(span(RecordType.SPAN_ENTER, 5, 5), 1300);
        assertEquals(4, kept.size(), "not a task any more");
    }

    @Test
    void wakerEventsAlwaysPassOtherEventsNever() {
        accept(new TraceRecord(RecordType.EVENT, "svc", 1L, 1L, "ThreadId(1)", "", null, 3L, "event",
                "tokio::task::waker", null, WakerOp.WAKE, 42L), 1000);
        accept(new TraceRecord(RecordType.EVENT, "svc", 2L, 2L, "ThreadId(1)", "", null, 3L, "event",
                "runtime::resource::state_update", null, null, null), 1000);
        assertEquals(List.of(1L), seqs());
    }

    /**
     * The wake stage follows a waker clone's parent chain through resource spans: their span_new
     * and span_close pass (so its table of them ends with each), their enters and exits, which
     * are most of a resource's traffic, do not.
     */
    @Test
    void resourceSpansPassTheirNewAndCloseOnly() {
        for (ResourceInfo.Role role : ResourceInfo.Role.values()) {
            kept.clear();
            long span = 20 + role.ordinal();
            accept(resourceSpan(span, null, role, 1), 1000);
            accept(span(RecordType.SPAN_ENTER, span, 2), 1001);
            accept(span(RecordType.SPAN_EXIT, span, 3), 1002);
            accept(span(RecordType.SPAN_CLOSE, span, 4), 1003);
            assertEquals(List.of(1L, 4L), seqs(), role.name());
            assertEquals(role, kept.get(0).resource().role());
            accept(span(RecordType.SPAN_ENTER, span, 5), 1004);
            assertEquals(2, kept.size(), "a closed resource's ID is unknown again: held, not passed");
            filter.expire(Long.MAX_VALUE);
        }
        assertEquals(0, entries(index), "nothing is kept of closed resources");
    }

    @Test
    void aResourceClosedBeforeItsSpanNewArrivesPassesBoth() {
        accept(span(RecordType.SPAN_ENTER, 7, 2), 1000); // a per-thread buffer sent these first
        accept(span(RecordType.SPAN_EXIT, 7, 3), 1001);
        accept(span(RecordType.SPAN_CLOSE, 7, 4), 1002);
        assertEquals(List.of(), kept);
        accept(resourceSpan(7, null, ResourceInfo.Role.RESOURCE, 1), 1003);
        assertEquals(List.of(1L, 4L), seqs());
        assertEquals(0, filter.heldRecords());
        assertEquals(0, entries(heldTable));
        assertEquals(0, entries(index));
    }

    @Test
    void aLiveResourceSurvivesARestartSoItsClosePasses() {
        accept(resourceSpan(7, null, ResourceInfo.Role.RESOURCE, 1), 1000);
        accept(resourceSpan(8, 7L, ResourceInfo.Role.ASYNC_OP, 2), 1001);
        filter = new TaskSpanFilter(index, heldTable, WINDOW);
        kept.clear();
        accept(span(RecordType.SPAN_ENTER, 8, 3), 1002);
        accept(span(RecordType.SPAN_CLOSE, 8, 4), 1003);
        accept(span(RecordType.SPAN_CLOSE, 7, 5), 1004);
        assertEquals(List.of(4L, 5L), seqs());
        assertEquals(0, filter.heldRecords());
        assertEquals(0, entries(index));
    }

    @Test
    void heldRecordsAndLiveTasksSurviveARestart() {
        accept(task(5, 1), 1000);
        accept(span(RecordType.SPAN_ENTER, 6, 2), 1001);
        filter = new TaskSpanFilter(index, heldTable, WINDOW);
        kept.clear();
        accept(span(RecordType.SPAN_ENTER, 5, 3), 1002);
        assertEquals(List.of(3L), seqs(), "span 5 is still known as a task");
        accept(task(6, 4), 1003);
        assertEquals(List.of(3L, 4L, 2L), seqs(), "the enter held before the restart passes with its span");
        accept(span(RecordType.SPAN_ENTER, 8, 5), 1004);
        filter = new TaskSpanFilter(index, heldTable, WINDOW);
        assertEquals(1, filter.heldRecords());
        assertEquals(1004, filter.oldestHeldMs());
    }

    @Test
    void anIndexKeyThatIsNotASpanKeyIsRefused() {
        index.put("svc#5", "task");
        SerializationException e = assertThrows(SerializationException.class,
                () -> new TaskSpanFilter(index, heldTable, WINDOW));
        assertEquals("task span index key svc#5: not a span key of this job; reset the application's state to start afresh",
                e.getMessage());
    }

    /**
     * Held records come back in the order they arrived, not in the order of their table keys
     * (span 10's key sorts before span 9's): the partition's claim after a restart starts at the
     * oldest record still held, and expiry takes them oldest first. Otherwise the wake stage would
     * release records past one still held here, which then arrives late.
     */
    @Test
    void heldRecordsComeBackOldestFirstAfterARestart() {
        accept(span(RecordType.SPAN_ENTER, 9, 1), 1000);
        accept(span(RecordType.SPAN_ENTER, 10, 2), 1050);
        accept(span(RecordType.SPAN_ENTER, 11, 3), 1100);
        assertEquals(1000, filter.oldestHeldMs());
        filter = new TaskSpanFilter(index, heldTable, WINDOW);
        assertEquals(3, filter.heldRecords());
        assertEquals(1000, filter.oldestHeldMs(), "span 9's record, the oldest held, bounds the claim");
        filter.expire(1000 + WINDOW);
        assertEquals(2, filter.heldRecords(), "span 9's record, and only it, is past the window");
        assertEquals(1050, filter.oldestHeldMs());
        accept(task(10, 4), 1200);
        assertEquals(List.of(4L, 2L), seqs(), "span 10's held enter passes with its span_new");
        assertEquals(1100, filter.oldestHeldMs());
    }

    @Test
    void aSpanIdReusedByAnotherKindOfSpanTakesItsKind() {
        accept(task(5, 1), 1000);
        accept(userSpan(5, 2), 1001); // the task's close was lost; the registry reused the ID
        accept(span(RecordType.SPAN_ENTER, 5, 3), 1002);
        accept(task(5, 4), 1003);
        accept(span(RecordType.SPAN_ENTER, 5, 5), 1004);
        assertEquals(List.of(1L, 4L, 5L), seqs());
        assertTrue(entries(index) == 1);
    }

    private void accept(TraceRecord r, long producedMs) {
        filter.accept(r, producedMs, (k, ms) -> kept.add(k));
    }

    private List<Long> seqs() {
        return kept.stream().map(TraceRecord::seq).toList();
    }

    private static long entries(Table<?> table) {
        long[] n = {0};
        table.forEach((k, v) -> n[0]++);
        return n[0];
    }

    private static TraceRecord task(long span, long seq) {
        return new TraceRecord(RecordType.SPAN_NEW, "svc", seq, seq, "ThreadId(1)", "main", span, null,
                "runtime.spawn", "tokio::task", new TaskInfo(1L, "t", "task", "a.rs:1:1", null, null, null), null, null);
    }

    private static TraceRecord userSpan(long span, long seq) {
        return new TraceRecord(RecordType.SPAN_NEW, "svc", seq, seq, "ThreadId(1)", "main", span, null,
                "ping.round", "app", null, null, null);
    }

    private static TraceRecord resourceSpan(long span, Long parent, ResourceInfo.Role role, long seq) {
        ResourceInfo info = role == ResourceInfo.Role.RESOURCE
                ? new ResourceInfo(role, "timer", "Sleep", "src/main.rs:12:5", false) : ResourceInfo.of(role);
        String name = switch (role) {
            case RESOURCE -> ResourceInfo.RESOURCE_SPAN_NAME;
            case ASYNC_OP -> ResourceInfo.ASYNC_OP_SPAN_NAME;
            case ASYNC_OP_POLL -> ResourceInfo.ASYNC_OP_POLL_SPAN_NAME;
        };
        return new TraceRecord(RecordType.SPAN_NEW, "svc", seq, seq, "ThreadId(1)", "main", span, parent,
                name, "tokio::time::sleep", null, null, null, info);
    }

    private static TraceRecord span(RecordType type, long span, long seq) {
        return new TraceRecord(type, "svc", seq, seq, "ThreadId(2)", "tokio-runtime-worker", span, null, null, null,
                null, null, null);
    }

    @Test
    void spansOfAlikeNamedSourcesHashApart() {
        // Twenty processes named alike, each numbering its spans from 1: a fleet's shape.
        Set<Integer> hashes = new HashSet<>();
        int keys = 0;
        for (int source = 0; source < 20; source++) {
            for (long span = 1; span <= 5_000; span++) {
                hashes.add(new TaskSpanFilter.SpanKey("svc-" + source, span).hashCode());
                keys++;
            }
        }
        assertTrue(hashes.size() > keys * 0.99, hashes.size() + " distinct hash codes for " + keys + " spans");
    }
}
