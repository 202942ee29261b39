package io.tokiowakes.detect;

import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.TaskState;

import java.util.List;
import java.util.function.Consumer;

/**
 * tokio-console's task lints plus the external-only and scheduling-delay rules, applied to
 * {@link TaskState}: one {@link Lint} per anomaly type, each in its own class. Each
 * check reports a type at most once per task (the task remembers what it reported). Only
 * {@code task} and {@code local} tasks are linted, as in tokio-console.
 */
public final class TaskLints {

    private final LintSettings settings;
    private final LongPollLint longPoll;
    private final SchedulingDelayLint schedulingDelay;
    private final LostWakerLint lostWaker;
    /** In the order their findings go out when one moment fires several. */
    private final List<Lint> lints;

    public TaskLints(LintSettings settings) {
        this.settings = settings;
        this.longPoll = new LongPollLint(settings.longPollNanos());
        this.schedulingDelay = new SchedulingDelayLint(settings.schedulingDelayNanos());
        this.lostWaker = new LostWakerLint(settings.lostWakerGraceNanos());
        this.lints = List.of(
                new AutoBoxedFutureLint(),
                new LargeFutureLint(settings.largeFutureBytes()),
                longPoll,
                schedulingDelay,
                new ExternalOnlyWakesLint(settings.externalOnlyMinWakes()),
                new SelfWakeDominantLint(settings.selfWakeMinWakes(), settings.selfWakePercent()),
                lostWaker);
    }

    public LintSettings settings() {
        return settings;
    }

    /**
     * At spawn: what the span's fields already tell (Tokio >= 1.41). {@code AUTO_BOXED_FUTURE}
     * when {@code original_size.bytes} is present and differs from {@code size.bytes};
     * {@code LARGE_FUTURE} when {@code size.bytes} alone reaches the threshold.
     */
    public void onSpawn(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted()) {
            for (Lint lint : lints) {
                lint.onSpawn(t, ts, out);
            }
        }
    }

    /** After a poll ended: {@code LONG_POLL} when it lasted the threshold (trace time). */
    public void onPollEnd(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted()) {
            for (Lint lint : lints) {
                lint.onPollEnd(t, ts, out);
            }
        }
    }

    /** @return whether a poll that just started must be watched: a linted task not yet reported */
    public boolean watchesPoll(TaskState t) {
        return t.info.isLinted() && longPoll.watches(t);
    }

    /**
     * A poll that never returns: {@code LONG_POLL} once it has lasted the threshold against the
     * source's clock (its latest trace time), still once per task.
     *
     * @param now the source's trace time, nanoseconds
     * @return whether the watch is over: reported now, or the task is no longer in a poll
     */
    public boolean checkPollInProgress(TaskState t, long now, Consumer<Finding> out) {
        return longPoll.checkInProgress(t, now, out);
    }

    /**
     * @return whether a wake that just came starts a wait to watch for {@code LONG_SCHEDULING_DELAY}:
     *         a linted task not yet reported whose first wake since its latest poll this is
     */
    public boolean watchesWait(TaskState t) {
        return t.info.isLinted() && schedulingDelay.watches(t);
    }

    /**
     * A poll started and ended these waits: {@code LONG_SCHEDULING_DELAY} when the oldest lasted the
     * threshold.
     *
     * @param ended the wakes the poll ended, oldest first ({@link TaskState#onEnter})
     */
    public void onPollStart(TaskState t, List<PendingWake> ended, long ts, Consumer<Finding> out) {
        if (t.info.isLinted()) {
            for (Lint lint : lints) {
                lint.onPollStart(t, ended, ts, out);
            }
        }
    }

    /**
     * A woken task still waiting for a poll: {@code LONG_SCHEDULING_DELAY} once the wait has lasted
     * the threshold against the source's clock, so a starved task is reported while it still waits.
     *
     * @param now the source's trace time, nanoseconds
     * @return whether the watch is over (reported now, or no longer waiting); false while the
     *         wait has not lasted the threshold yet
     */
    public boolean checkWait(TaskState t, long now, Consumer<Finding> out) {
        return schedulingDelay.checkWait(t, now, out);
    }

    /** After a wake was counted: a long-lived task need not close to be called external-only. */
    public void onWake(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted()) {
            for (Lint lint : lints) {
                lint.onWake(t, ts, out);
            }
        }
    }

    /** At span_close. */
    public void onClose(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted()) {
            for (Lint lint : lints) {
                lint.onClose(t, ts, out);
            }
        }
    }

    /** Keeps the lost-waker watch of a task current after anything changed it. */
    public void updateLostWakerWatch(TaskState t, long ts) {
        lostWaker.updateWatch(t, t.info.isLinted(), ts);
    }

    /** @return whether the watch is over: reported now, or no longer watched */
    public boolean checkLostWaker(TaskState t, long now, Consumer<Finding> out) {
        return lostWaker.check(t, now, out);
    }
}
