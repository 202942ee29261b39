package io.tokiowakes.detect;

import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.TaskRef;

import java.util.List;
import java.util.function.Consumer;

/**
 * tokio-console's task lints plus the external-only and scheduling-delay rules, applied to
 * {@link TaskState}. Each
 * check reports a type at most once per task (the task remembers what it reported). Only
 * {@code task} and {@code local} tasks are linted, as in tokio-console.
 */
public final class TaskLints {

    private final LintSettings settings;

    public TaskLints(LintSettings settings) {
        this.settings = settings;
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
        if (!t.info.isLinted()) {
            return;
        }
        Long size = t.info.sizeBytes();
        Long original = t.info.originalSizeBytes();
        if (original != null && !original.equals(size)) {
            report(t, new Finding(AnomalyType.AUTO_BOXED_FUTURE, ts,
                    "future of " + original + " bytes was auto-boxed (" + size + " bytes on the stack)", original), out);
        }
        // What sits in the task's memory (and is moved on spawn) is size.bytes: an auto-boxed
        // future is a pointer there, so only AUTO_BOXED_FUTURE speaks of its original size
        // (tokio-console's large-future lint reads size.bytes alone).
        if (size != null && size >= settings.largeFutureBytes()) {
            report(t, new Finding(AnomalyType.LARGE_FUTURE, ts,
                    "future is " + size + " bytes (>= " + settings.largeFutureBytes() + ")", size), out);
        }
    }

    /** After a poll ended: {@code LONG_POLL} when it lasted the threshold (trace time). */
    public void onPollEnd(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted() && t.lastPollNanos >= settings.longPollNanos()) {
            report(t, new Finding(AnomalyType.LONG_POLL, ts,
                    "one poll ran " + t.lastPollNanos / 1_000_000 + " ms without yielding", t.lastPollNanos), out);
        }
    }

    /** @return whether a poll that just started must be watched: a linted task not yet reported */
    public boolean watchesPoll(TaskState t) {
        return t.info.isLinted() && !t.reported.contains(AnomalyType.LONG_POLL);
    }

    /**
     * A poll that never returns is what users most need to see, and it has no end to measure.
     * As tokio-console's never-yielded lint measures the poll in progress against "now", this
     * measures it against the source's clock (its latest trace time): {@code LONG_POLL} once it
     * has lasted the threshold, still once per task.
     *
     * @param now the source's trace time, nanoseconds
     * @return whether the watch is over: reported now, or the task is no longer in a poll
     */
    public boolean checkPollInProgress(TaskState t, long now, Consumer<Finding> out) {
        if (t.running == 0 || t.reported.contains(AnomalyType.LONG_POLL)) {
            return true;
        }
        long elapsed = now - t.pollStartNanos;
        if (elapsed < settings.longPollNanos()) {
            return false;
        }
        report(t, new Finding(AnomalyType.LONG_POLL, now, "one poll has run " + elapsed / 1_000_000
                + " ms without yielding and has not returned yet", elapsed), out);
        return true;
    }

    /**
     * @return whether a wake that just came starts a wait to watch for {@code LONG_SCHEDULING_DELAY}:
     *         a linted task not yet reported whose first wake since its latest poll this is
     */
    public boolean watchesWait(TaskState t) {
        return t.info.isLinted() && t.pendingWakes.size() == 1 && !t.reported.contains(AnomalyType.LONG_SCHEDULING_DELAY);
    }

    /**
     * A poll started and ended these waits: {@code LONG_SCHEDULING_DELAY} when the oldest lasted the
     * threshold (a wait the source's clock had not shown yet, the poll being the first record past it).
     *
     * @param ended the wakes the poll ended, oldest first ({@link TaskState#onEnter})
     */
    public void onPollStart(TaskState t, List<PendingWake> ended, long ts, Consumer<Finding> out) {
        if (!t.info.isLinted() || ended.isEmpty()) {
            return;
        }
        long waited = ts - ended.get(0).tsNanos();
        if (waited >= settings.schedulingDelayNanos()) {
            report(t, new Finding(AnomalyType.LONG_SCHEDULING_DELAY, ts, "waited " + waited / 1_000_000
                    + " ms for a worker after a wake by " + wakerOf(ended.get(0)) + " before it was polled", waited), out);
        }
    }

    /**
     * A task that is woken and waits for a poll has nothing to show the wait by until the poll
     * starts: as for a poll in progress, the wait is measured against the source's clock (its
     * latest trace time), so a starved task is reported while it still waits. Once per task.
     *
     * @param now the source's trace time, nanoseconds
     * @return whether the watch is over (reported now, or no longer waiting); false while the
     *         wait has not lasted the threshold yet
     */
    public boolean checkWait(TaskState t, long now, Consumer<Finding> out) {
        if (t.pendingWakes.isEmpty() || t.reported.contains(AnomalyType.LONG_SCHEDULING_DELAY)) {
            return true;
        }
        PendingWake first = t.pendingWakes.get(0);
        long waited = now - first.tsNanos();
        if (waited < settings.schedulingDelayNanos()) {
            return false;
        }
        report(t, new Finding(AnomalyType.LONG_SCHEDULING_DELAY, now, "woken by " + wakerOf(first) + " "
                + waited / 1_000_000 + " ms ago and not polled since", waited), out);
        return true;
    }

    /** The waker as the wake graph names it, with its kind of wake and span: who the task waits after. */
    private static String wakerOf(PendingWake w) {
        TaskRef waker = w.waker();
        String who;
        if (w.kind() == WakeKind.RUNTIME) {
            who = "(runtime)";
        } else if (waker == null) {
            who = w.kind() == WakeKind.EXTERNAL ? "(external)" : "(runtime)";
        } else if (waker.name() != null && !waker.name().isEmpty()) {
            who = waker.name();
        } else {
            who = "(" + waker.kind() + ")";
        }
        return who + " (" + w.kind() + (waker == null ? "" : ", span " + Long.toUnsignedString(waker.spanId())) + ")";
    }

    /** After a wake was counted: a long-lived task need not close to be called external-only. */
    public void onWake(TaskState t, long ts, Consumer<Finding> out) {
        if (t.info.isLinted() && t.wakes() >= settings.externalOnlyMinWakes() && externalOnly(t)) {
            report(t, externalOnlyFinding(t, ts), out);
        }
    }

    /** At span_close. */
    public void onClose(TaskState t, long ts, Consumer<Finding> out) {
        if (!t.info.isLinted()) {
            return;
        }
        if (externalOnly(t)) {
            report(t, externalOnlyFinding(t, ts), out);
        }
        long wakes = t.wakes();
        long self = t.wakes(WakeKind.SELF);
        if (wakes >= settings.selfWakeMinWakes() && self * 100 > wakes * settings.selfWakePercent()) {
            report(t, new Finding(AnomalyType.SELF_WAKE_DOMINANT, ts,
                    self + " of " + wakes + " wakes were self-wakes", wakes), out);
        }
    }

    /**
     * Keeps the lost-waker watch of a task current after anything changed it (console-subscriber's
     * lost-waker: idle, not scheduled, no waker left). A task that returned Ready looks lost until
     * its close arrives, hence the grace period. A task with child task spans still open cannot
     * be told from a finished one at all: tracing's registry closes its span only after theirs
     * (Tokio < 1.35, where a task span is the parent of the tasks spawned in it), so the watch
     * starts when its last child has closed.
     */
    public void updateLostWakerWatch(TaskState t, long ts) {
        boolean looksLost = t.info.isLinted() && t.idle() && !t.scheduled && t.outstandingWakers() <= 0
                && t.liveChildren <= 0 && !t.reported.contains(AnomalyType.LOST_WAKER);
        if (!looksLost) {
            t.lostWakerSinceNanos = -1;
        } else if (t.lostWakerSinceNanos < 0) {
            t.lostWakerSinceNanos = ts;
        }
    }

    /** @return whether the watch is over: reported now, or no longer watched */
    public boolean checkLostWaker(TaskState t, long now, Consumer<Finding> out) {
        if (t.lostWakerSinceNanos < 0) {
            return true;
        }
        if (now - t.lostWakerSinceNanos < settings.lostWakerGraceNanos()) {
            return false;
        }
        report(t, new Finding(AnomalyType.LOST_WAKER, now,
                "idle with no waker for " + (now - t.lostWakerSinceNanos) / 1_000_000 + " ms: nothing can wake it",
                null), out);
        t.lostWakerSinceNanos = -1;
        return true;
    }

    private static boolean externalOnly(TaskState t) {
        return t.wakes() > 0 && t.wakes(WakeKind.EXTERNAL) == t.wakes();
    }

    /**
     * With threads, an EXTERNAL wake came from a thread that never polled a task. Without them
     * (text input), only from outside any task: a timer or I/O driver wake looks the same, so the
     * finding says what it rests on instead of stating it as fact.
     */
    private static Finding externalOnlyFinding(TaskState t, long ts) {
        long wakes = t.wakes();
        String detail;
        if (t.externalWakesWithoutThread == 0) {
            detail = "all " + wakes + " wakes came from outside the runtime";
        } else {
            detail = "all " + wakes + " wakes came from outside any task; "
                    + (t.externalWakesWithoutThread == wakes ? "the trace names no threads"
                    : t.externalWakesWithoutThread + " of them in records that name no thread")
                    + ", so a timer or I/O driver wake cannot be told from a wake by a thread outside the runtime";
        }
        return new Finding(AnomalyType.EXTERNAL_ONLY_WAKES, ts, detail, wakes);
    }

    private static void report(TaskState t, Finding f, Consumer<Finding> out) {
        if (t.reported.add(f.type())) {
            out.accept(f);
        }
    }
}
