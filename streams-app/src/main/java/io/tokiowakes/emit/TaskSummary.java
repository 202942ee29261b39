package io.tokiowakes.emit;

import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.model.TaskRef;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A task's life at close, on {@code tokio.task-summaries}: for dashboards and alerting.
 * Times are nanoseconds of trace time.
 *
 * @param schedulingDelaysByKind the wake-to-poll delays of its wakes, by the wake's kind (kinds
 *                               with no measured delay are left out)
 * @param wakesByResource        how often it was woken while waiting on each resource
 */
public record TaskSummary(String source, long tsNanos, TaskRef task, long createdNanos, long lifetimeNanos,
                          long polls, long busyNanos, long scheduledNanos, long idleNanos, long maxPollNanos,
                          long wakes, Map<WakeKind, Long> wakesByKind,
                          long wakerClones, long wakerDrops, long wakesByValue, long wakesByRef,
                          List<AnomalyType> anomalies, Map<WakeKind, DelayStats> schedulingDelaysByKind,
                          List<ResourceWakes> wakesByResource) implements Output {

    public TaskSummary {
        schedulingDelaysByKind = schedulingDelaysByKind == null ? Map.of() : schedulingDelaysByKind;
        wakesByResource = wakesByResource == null ? List.of() : List.copyOf(wakesByResource);
    }

    public static TaskSummary of(String source, TaskState t, long closedNanos) {
        Map<WakeKind, Long> byKind = new EnumMap<>(WakeKind.class);
        for (WakeKind k : WakeKind.values()) {
            byKind.put(k, t.wakes(k));
        }
        Map<WakeKind, DelayStats> delays = DelayStats.byKind(t.delaysByKind, true);
        long lifetime = Math.max(0, closedNanos - t.createdNanos);
        return new TaskSummary(source, closedNanos, TaskRef.withLocation(t), t.createdNanos, lifetime,
                t.polls, t.busyNanos, t.scheduledNanos, Math.max(0, lifetime - t.busyNanos - t.scheduledNanos),
                t.maxPollNanos, t.wakes(), byKind, t.wakerClones, t.wakerDrops, t.wakesByValue, t.wakesByRef,
                List.copyOf(t.reported), delays, t.wakesByResource);
    }

    @Override
    @JsonIgnore
    public String key() {
        return Output.key(source, task.spanId());
    }
}
