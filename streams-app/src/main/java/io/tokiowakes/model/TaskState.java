package io.tokiowakes.model;


import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The life of one live task span: polls, scheduling and waker accounting in console-subscriber's
 * model. Times are the source's trace time ({@code ts_nanos}). Fields are public so the state
 * store's serde sees them; the methods are the only writers.
 */
public class TaskState {
    /** Resources kept per poll: a select! over more is rare, and the first ones are kept. */
    public static final int MAX_WAITS_ON = 8;
    /**
     * Wakes kept waiting for one poll: Tokio runs a task once however often it was woken, so
     * this many before one poll is a storm of wakes; the delays of those past it are not measured.
     */
    public static final int MAX_PENDING_WAKES = 64;
    /** Resources counted per task in {@link #wakesByResource}. */
    public static final int MAX_RESOURCES_COUNTED = 8;
    private static final long[] NO_RESOURCES = new long[0];

    public long spanId;
    public TaskInfo info;
    public long createdNanos;

    /** Depth of entries of this span across threads; 0 = not being polled. */
    public int running;
    /** Woken (or just spawned) and not polled since. */
    public boolean scheduled;
    public long scheduledSinceNanos;
    public long pollStartNanos;
    public boolean lastEnterScheduled;
    /**
     * The last poll started without a wake: Tokio entering the span to drop the future. The task
     * has finished (or was cancelled), even if its span closes later (child spans keep it open).
     */
    public boolean dropped;
    public long lastPollNanos;
    public long maxPollNanos;

    public long polls;
    public long busyNanos;
    public long scheduledNanos;

    public long wakerClones;
    public long wakerDrops;
    public long wakesByValue;
    public long wakesByRef;
    public long[] wakesByKind = new long[WakeKind.values().length];
    /** Kind of the latest wake, null before the first. */
    public WakeKind lastWakeKind;
    /**
     * EXTERNAL wakes whose record named no thread (text input such as ari-subscriber's): they
     * fired outside any task, but whether on a runtime thread (timer, I/O driver) or a foreign
     * one the input cannot show.
     */
    public long externalWakesWithoutThread;

    /**
     * The task span this task's span was created under (Tokio < 1.35 gives a task span the
     * spawning task's span as parent), or 0 when its parent is no live task (tracing span IDs
     * are never 0).
     */
    public long parentSpanId;
    /**
     * Task spans open under this one. tracing's registry closes a span only after all its
     * children have closed, so while any is open this task's span_close may be arbitrarily late.
     */
    public int liveChildren;

    /**
     * A blocking span inside which async tasks have been polled on the same thread: a worker
     * thread's own span, not a spawn_blocking closure (see {@code resolve.WorkerSpans}).
     */
    public boolean runsTasks;

    /**
     * Resources (their span IDs) the task registered its waker with since its latest poll began:
     * {@code waker.clone}s of this task whose parent chain reaches a resource
     * ({@code resolve.WaitsOn}), at most {@link #MAX_WAITS_ON}, each once.
     */
    public long[] waitsOn = NO_RESOURCES;

    /** Wakes since the latest poll started, oldest first: each one's delay ends at the next poll. */
    public List<PendingWake> pendingWakes = new ArrayList<>();
    /** Wake-to-poll delays of the task's wakes, by the wake's kind (null: none of that kind). */
    public DelayHistogram[] delaysByKind = new DelayHistogram[WakeKind.values().length];
    /** Wakes while the task waited on a resource, per resource (its first {@link #MAX_RESOURCES_COUNTED}). */
    public List<ResourceWakes> wakesByResource = new ArrayList<>();

    /** Trace time since when the task has looked like a lost waker; -1 when it does not. */
    public long lostWakerSinceNanos = -1;
    public Set<AnomalyType> reported = EnumSet.noneOf(AnomalyType.class);

    public TaskState() {
    }

    public TaskState(long spanId, TaskInfo info, long createdNanos) {
        this.spanId = spanId;
        this.info = info;
        this.createdNanos = createdNanos;
        // A new task is scheduled: its first poll needs no wake.
        this.scheduled = true;
        this.scheduledSinceNanos = createdNanos;
    }

    /**
     * A thread entered the task's span: a poll starts, unless it is already running.
     *
     * @param ts trace time of the span_enter
     * @return the wakes whose delay this poll ends (oldest first; usually none or one), their
     *         delays already counted in {@link #delaysByKind}
     */
    public List<PendingWake> onEnter(long ts) {
        if (running++ > 0) {
            return List.of();
        }
        pollStartNanos = ts;
        // Each poll registers its waker anew where it waits (a waker may be replaced or dropped).
        waitsOn = NO_RESOURCES;
        lastEnterScheduled = scheduled;
        dropped = !scheduled && polls > 0;
        if (!scheduled) {
            return List.of();
        }
        scheduledNanos += Math.max(0, ts - scheduledSinceNanos);
        scheduled = false;
        if (pendingWakes.isEmpty()) {
            return List.of();
        }
        List<PendingWake> ended = pendingWakes;
        pendingWakes = new ArrayList<>();
        for (PendingWake w : ended) {
            DelayHistogram h = delaysByKind[w.kind().ordinal()];
            if (h == null) {
                h = delaysByKind[w.kind().ordinal()] = new DelayHistogram();
            }
            h.record(ts - w.tsNanos());
        }
        return ended;
    }

    public void onExit(long ts) {
        if (running == 0) {
            return; // an exit whose enter was never seen
        }
        if (--running > 0) {
            return;
        }
        long poll = Math.max(0, ts - pollStartNanos);
        polls++;
        busyNanos += poll;
        lastPollNanos = poll;
        maxPollNanos = Math.max(maxPollNanos, poll);
    }

    /**
     * Tokio enters a task's span once more to drop the future; that last pair is not a poll. It
     * is recognised by starting while the task was not scheduled (a real poll follows a wake).
     */
    public void onClose() {
        if (running == 0 && polls > 0 && !lastEnterScheduled) {
            polls--;
            busyNanos -= lastPollNanos;
        }
    }

    /**
     * A {@code waker.clone} of this task registered it with a resource (in this poll, or between
     * polls).
     *
     * @param resourceSpanId the resource's span ID
     */
    public void registeredWith(long resourceSpanId) {
        for (long id : waitsOn) {
            if (id == resourceSpanId) {
                return;
            }
        }
        if (waitsOn.length < MAX_WAITS_ON) {
            long[] more = java.util.Arrays.copyOf(waitsOn, waitsOn.length + 1);
            more[waitsOn.length] = resourceSpanId;
            waitsOn = more;
        }
    }

    /**
     * A wake of this task (after {@link #onWakerOp}): its delay runs until the next poll starts.
     *
     * @param wake    the wake
     * @param waitsOn the resources its waker sat in ({@code resolve.WaitsOn})
     */
    public void woken(PendingWake wake, List<ResourceRef> waitsOn) {
        if (pendingWakes.size() < MAX_PENDING_WAKES) {
            pendingWakes.add(wake);
        }
        for (ResourceRef r : waitsOn) {
            countWakeVia(r);
        }
    }

    private void countWakeVia(ResourceRef r) {
        for (int i = 0; i < wakesByResource.size(); i++) {
            ResourceWakes w = wakesByResource.get(i);
            if (w.resource().spanId() == r.spanId()) {
                wakesByResource.set(i, new ResourceWakes(w.resource(), w.wakes() + 1));
                return;
            }
        }
        if (wakesByResource.size() < MAX_RESOURCES_COUNTED) {
            wakesByResource.add(new ResourceWakes(r, 1));
        }
    }

    /** A wake by a record without thread: counted apart, see {@link #externalWakesWithoutThread}. */
    public void onWakeWithoutThread(WakeKind kind) {
        if (kind == WakeKind.EXTERNAL) {
            externalWakesWithoutThread++;
        }
    }

    public void onWakerOp(WakerOp op, WakeKind kind, long ts) {
        switch (op) {
            case CLONE -> wakerClones++;
            case DROP -> wakerDrops++;
            case WAKE, WAKE_BY_REF -> {
                if (op == WakerOp.WAKE) {
                    wakesByValue++;
                } else {
                    wakesByRef++;
                }
                wakesByKind[kind.ordinal()]++;
                lastWakeKind = kind;
                if (!scheduled) {
                    scheduled = true;
                    scheduledSinceNanos = ts;
                }
            }
        }
    }

    public long wakes() {
        return wakesByValue + wakesByRef;
    }

    public long wakes(WakeKind kind) {
        return wakesByKind[kind.ordinal()];
    }

    /** Wakers that exist and could still wake the task: clones minus drops minus wakes by value. */
    public long outstandingWakers() {
        return wakerClones - wakerDrops - wakesByValue;
    }

    /** Polled before, not being polled now, and not finished. */
    public boolean idle() {
        return running == 0 && polls > 0 && !dropped;
    }
}
