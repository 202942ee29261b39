package io.tokiowakes.graph;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.emit.Anomaly;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.emit.TaskSummary;
import io.tokiowakes.emit.WakeDelay;
import io.tokiowakes.emit.WakeEdge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the REST API and the page show of one task beyond its live state: its latest wakes in and
 * out, its anomalies, and whether (and when) it closed. It outlives the task by the graph's
 * retention, so that a task that misbehaved and closed is still there when someone looks.
 * Fields are public for the store's serde; the methods are the only writers.
 */
public class TaskView {

    /** Wakes kept each way. */
    public static final int RECENT = 10;

    public long spanId;
    public Long taskId;
    public String name;
    public String kind;
    public List<RecentWake> wakesIn = new ArrayList<>();
    public List<RecentWake> wakesOut = new ArrayList<>();
    public List<Flag> anomalies = new ArrayList<>();
    /** Trace time of the close, null while live. */
    public Long closedNanos;
    /**
     * What the task's summary said at its close (null while live): polls, wakes, location, wakes
     * by kind, delays by kind, wakes per resource.
     */
    public Long polls;
    public Long wakes;
    public String loc;
    public Map<WakeKind, Long> wakesByKind;
    /** Its summary's wake-to-poll delays by wake kind (percentiles only), null while live. */
    public Map<WakeKind, DelayStats> delaysByKind;
    /** Its summary's wakes per resource waited on, null while live. */
    public List<ResourceWakes> wakesByResource;
    /** The span woke tasks as the runtime (RUNTIME wakes): a multi-thread worker's own span. */
    public boolean worker;
    /** Trace time (ms) of the latest change: what retention counts from. */
    public long updatedMs;

    /**
     * The other end of a wake.
     *
     * @param waitsOn    for a wake in: the resources the task waited on ({@link ResourceRef#label()})
     * @param delayNanos for a wake in: how long it waited for its next poll, null until that poll started
     */
    public record RecentWake(long tsNanos, String op, WakeKind kind, String peer, Long peerTaskId,
                             List<String> waitsOn, Long delayNanos) {

        public RecentWake {
            waitsOn = waitsOn == null ? List.of() : List.copyOf(waitsOn);
        }

        /** A wake out, or one whose wakee waited on nothing the trace shows. */
        public RecentWake(long tsNanos, String op, WakeKind kind, String peer, Long peerTaskId) {
            this(tsNanos, op, kind, peer, peerTaskId, List.of(), null);
        }

        RecentWake withDelay(long nanos) {
            return new RecentWake(tsNanos, op, kind, peer, peerTaskId, waitsOn, nanos);
        }
    }

    public record Flag(AnomalyType type, long tsNanos, String detail) {
    }

    public TaskView() {
    }

    public TaskView(long spanId) {
        this.spanId = spanId;
    }

    /**
     * Takes what the task reference says. A span ID is unique among live spans only: a different
     * Tokio task ID under the same span ID is a new task, and the old view is dropped.
     */
    public void about(TaskRef t, long atMs) {
        if (t.taskId() != null && taskId != null && !t.taskId().equals(taskId)) {
            wakesIn.clear();
            wakesOut.clear();
            anomalies.clear();
            closedNanos = null;
            polls = null;
            wakes = null;
            loc = null;
            wakesByKind = null;
            delaysByKind = null;
            wakesByResource = null;
            worker = false;
        }
        if (t.taskId() != null) {
            taskId = t.taskId();
        }
        if (t.name() != null) {
            name = t.name();
        }
        if (t.kind() != null) {
            kind = t.kind();
        }
        updatedMs = Math.max(updatedMs, atMs);
    }

    public void wokenBy(WakeEdge e) {
        push(wakesIn, new RecentWake(e.tsNanos(), e.op(), e.kind(), TaskLabel.waker(e.waker(), e.kind()),
                e.waker() == null ? null : e.waker().taskId(), e.waitsOn().stream().map(ResourceRef::label).toList(),
                null));
    }

    /** One of its wakes in waited this long for its next poll: shown on that wake, while it is among the latest. */
    public void delayed(WakeDelay d) {
        for (int i = wakesIn.size() - 1; i >= 0; i--) {
            RecentWake w = wakesIn.get(i);
            if (w.tsNanos() == d.wakeTsNanos() && w.delayNanos() == null) {
                wakesIn.set(i, w.withDelay(d.delayNanos()));
                return;
            }
        }
    }

    public void woke(WakeEdge e) {
        if (e.kind() == WakeKind.RUNTIME) {
            worker = true;
        }
        push(wakesOut, new RecentWake(e.tsNanos(), e.op(), e.kind(), TaskLabel.of(e.wakee()), e.wakee().taskId()));
    }

    public void flagged(Anomaly a) {
        for (Flag f : anomalies) {
            if (f.type() == a.type()) {
                return;
            }
        }
        anomalies.add(new Flag(a.type(), a.tsNanos(), a.detail()));
    }

    /** The task closed: keeps its summary's figures, which its live state no longer holds. */
    public void closed(TaskSummary s) {
        closedNanos = s.tsNanos();
        polls = s.polls();
        wakes = s.wakes();
        loc = s.task().loc();
        wakesByKind = s.wakesByKind();
        delaysByKind = new EnumMap<>(WakeKind.class);
        s.schedulingDelaysByKind().forEach((k, d) -> delaysByKind.put(k, d.withoutBuckets()));
        wakesByResource = s.wakesByResource();
    }

    @JsonIgnore
    public boolean isClosed() {
        return closedNanos != null;
    }

    /** Its name in the graph: {@link TaskLabel#RUNTIME} for a worker's own span. */
    @JsonIgnore
    public String label() {
        return worker ? TaskLabel.RUNTIME : TaskLabel.of(name, kind);
    }

    private static void push(List<RecentWake> ring, RecentWake w) {
        if (ring.size() >= RECENT) {
            ring.remove(0);
        }
        ring.add(w);
    }
}
