package io.tokiowakes.graph;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.json.UnsignedLongSerializer;
import io.tokiowakes.resolve.LiveResources;
import io.tokiowakes.resolve.WaitsOn;
import io.tokiowakes.resolve.WorkerSpans;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How the API shows a task: its live state (when it is live) merged with its {@link TaskView}. */
public final class TaskViews {

    public static final String RUNNING = "running";
    public static final String SCHEDULED = "scheduled";
    public static final String IDLE = "idle";
    public static final String CLOSED = "closed";
    /** A span that was woken or flagged but was never a live task. */
    public static final String UNKNOWN = "unknown";

    public record TaskItem(@JsonSerialize(using = UnsignedLongSerializer.class) long spanId, Long taskId,
                           String name, String kind, String label, String state, Long outstandingWakers,
                           WakeKind lastWakeKind, Long polls, Long wakes, Set<AnomalyType> anomalies) {
    }

    /**
     * @param waitsOn                a live task's resources its waker sits in (registered in its latest
     *                               poll, still open); null once closed
     * @param schedulingDelaysByKind wake-to-poll delays by wake kind (percentiles), live or from its summary
     * @param wakesByResource        wakes per resource it waited on, live or from its summary
     */
    public record TaskDetail(TaskItem task, String loc, Map<WakeKind, Long> wakesByKind,
                             List<TaskView.RecentWake> wakesIn, List<TaskView.RecentWake> wakesOut,
                             List<TaskView.Flag> anomalies, Long closedNanos, List<ResourceRef> waitsOn,
                             Map<WakeKind, DelayStats> schedulingDelaysByKind, List<ResourceWakes> wakesByResource) {
    }

    private TaskViews() {
    }

    public static String state(TaskState t) {
        if (t.running > 0) {
            return RUNNING;
        }
        return t.scheduled ? SCHEDULED : IDLE;
    }

    /**
     * Live tasks, then tasks that closed (or were only flagged) within the retention.
     *
     * @param workerClosures the source's closure types known to run a worker loop: their blocking
     *                       spans are the runtime's, labelled {@link TaskLabel#RUNTIME}
     */
    public static List<TaskItem> list(Map<Long, TaskState> live, Map<Long, TaskView> views, Set<String> workerClosures) {
        List<TaskItem> out = new ArrayList<>();
        live.forEach((id, t) -> out.add(item(id, t, views.get(id), workerClosures)));
        views.forEach((id, v) -> {
            if (!live.containsKey(id) && (v.isClosed() || !v.anomalies.isEmpty())) {
                out.add(item(id, null, v, workerClosures));
            }
        });
        return out;
    }

    /**
     * One task as the list shows it: live figures while it is live, its summary's once closed.
     *
     * @return null when the task is neither live nor remembered
     */
    public static TaskItem item(long spanId, TaskState live, TaskView view, Set<String> workerClosures) {
        if (live == null && view == null) {
            return null;
        }
        Set<AnomalyType> anomalies = EnumSet.noneOf(AnomalyType.class);
        if (view != null) {
            view.anomalies.forEach(f -> anomalies.add(f.type()));
        }
        if (live != null) {
            anomalies.addAll(live.reported);
            boolean worker = WorkerSpans.isWorkerSpan(live, workerClosures) || (view != null && view.worker);
            return new TaskItem(spanId, live.info.taskId(), live.info.name(), live.info.kind(),
                    worker ? TaskLabel.RUNTIME : TaskLabel.of(live.info.name(), live.info.kind()), state(live),
                    live.outstandingWakers(), live.lastWakeKind, live.polls, live.wakes(), anomalies);
        }
        WakeKind last = view.wakesIn.isEmpty() ? null : view.wakesIn.get(view.wakesIn.size() - 1).kind();
        return new TaskItem(spanId, view.taskId, view.name, view.kind, view.label(),
                view.isClosed() ? CLOSED : UNKNOWN, null, last, view.polls, view.wakes, anomalies);
    }

    /**
     * One task with its latest wakes: a live task's figures from its state, a closed one's from
     * its summary (kept in its view).
     *
     * @param resources the source's live resources, to name what a live task waits on
     * @return null when the task is neither live nor remembered
     */
    public static TaskDetail detail(long spanId, TaskState live, TaskView view, Set<String> workerClosures,
                                    LiveResources resources) {
        TaskItem item = item(spanId, live, view, workerClosures);
        if (item == null) {
            return null;
        }
        Map<WakeKind, Long> byKind = null;
        if (live != null) {
            byKind = new EnumMap<>(WakeKind.class);
            for (WakeKind k : WakeKind.values()) {
                byKind.put(k, live.wakes(k));
            }
        } else if (view.wakesByKind != null) {
            byKind = new EnumMap<>(view.wakesByKind);
        }
        String loc = live != null ? live.info.loc() : view.loc;
        List<ResourceRef> waitsOn = live == null ? null : WaitsOn.refs(live.waitsOn, resources);
        Map<WakeKind, DelayStats> delays;
        List<ResourceWakes> byResource;
        if (live != null) {
            delays = DelayStats.byKind(live.delaysByKind, false);
            byResource = live.wakesByResource;
        } else {
            delays = view.delaysByKind;
            byResource = view.wakesByResource;
        }
        return new TaskDetail(item, loc, byKind,
                view != null ? view.wakesIn : List.of(), view != null ? view.wakesOut : List.of(),
                view != null ? view.anomalies : List.of(), view != null ? view.closedNanos : null,
                waitsOn, delays, byResource);
    }
}
