package io.tokiowakes.bench;

import io.tokiowakes.model.SourceKeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes realistic trace record v1 for many simulated Tokio runtimes: worker threads in their
 * blocking spans, a block_on thread, a blocking-pool thread and a foreign thread; tasks that are
 * spawned, polled, woken (by themselves, other tasks, timers, blocking closures and foreign
 * threads) and closed, each poll driving a resource (async_op / poll spans and state_update
 * events) the way Tokio's instrumented resources do. Each task has a resource of its own (the
 * channel it receives on, closed with it), and one poll in eight uses a runtime-wide one instead:
 * records are keyed by span, and a real service's resource activity is spread over many
 * resources, so that no span's key holds more than a few percent of a source's records (in the
 * two larger real traces under {@code ../shared/fixtures/}, at most 6 %). The mix is close to a real
 * runtime's: about 31 % enters, 31 % exits, 24 % resource events, 9 % waker events, 6 % span
 * creations and closes.
 * Deterministic for a seed.
 */
public final class LoadGenerator {

    private final int sources;
    private final int liveTasksPerSource;
    private final SplittableRandom random;
    private final List<Runtime> runtimes = new ArrayList<>();

    public LoadGenerator(int sources, int liveTasksPerSource, long seed) {
        this(sources, liveTasksPerSource, seed, null);
    }

    /**
     * @param wallClock where {@code ts_nanos} comes from, as in a live process (null: a synthetic
     *                  clock moving 0.2-1 µs per record, for traces replayed at any speed)
     */
    public LoadGenerator(int sources, int liveTasksPerSource, long seed, LongSupplier wallClock) {
        this.sources = sources;
        this.liveTasksPerSource = liveTasksPerSource;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < sources; i++) {
            runtimes.add(new Runtime("bench-" + seed + "-" + i, random.split(), wallClock));
        }
    }

    /** Where a generated record goes: its key as the contract gives it, and its JSON line. */
    @FunctionalInterface
    public interface Keyed {
        void accept(String key, String line);
    }

    /** Emits at least {@code records} records (whole steps), interleaving the sources. */
    public long generate(long records, Consumer<String> out) {
        return generateKeyed(records, (key, line) -> out.accept(line));
    }

    /**
     * Emits at least {@code records} records (whole steps), interleaving the sources, each with
     * its contract key (what {@code TraceRecord.contractKey()} gives), so a producer need not
     * decode what it sends.
     */
    public long generateKeyed(long records, Keyed out) {
        long[] count = {0};
        Keyed counting = (key, line) -> {
            count[0]++;
            out.accept(key, line);
        };
        for (Runtime rt : runtimes) {
            rt.start(counting);
        }
        while (count[0] < records) {
            runtimes.get(random.nextInt(sources)).step(counting, liveTasksPerSource);
        }
        return count[0];
    }

    /** Tasks spawned and not closed, over all sources. */
    public long liveTasks() {
        return runtimes.stream().mapToLong(r -> r.live.size()).sum();
    }

    public long tasksSpawned() {
        return runtimes.stream().mapToLong(r -> r.spawned).sum();
    }

    /** One simulated process. */
    private static final class Runtime {
        private static final int WORKERS = 2;
        /** One poll in this many uses the runtime-wide resource rather than the task's own. */
        private static final int SHARED_ONE_IN = 8;
        private static final String WORKER_FN = "tokio::runtime::scheduler::multi_thread::worker::Launch::launch::{{closure}}";

        final String source;
        final SplittableRandom random;
        final List<Long> live = new ArrayList<>();
        long seq;
        long ts = 1_795_000_000_000_000_000L;
        long nextSpan = 1;
        long spawned;
        long blockOn;
        /** The runtime-wide resource (a shared channel) that some polls use. */
        long sharedResource;
        /** Each live task's own resource: the channel it waits on. */
        final Map<Long, Long> resourceOf = new HashMap<>();

        final LongSupplier wallClock;

        Runtime(String source, SplittableRandom random, LongSupplier wallClock) {
            this.source = source;
            this.random = random;
            this.wallClock = wallClock;
        }

        void start(Keyed out) {
            for (int w = 0; w < WORKERS; w++) {
                long span = nextSpan++;
                out.accept(spanKey(span), spanNew(span, null, "runtime.spawn", "tokio::task::blocking",
                        "{\"fn\":\"" + WORKER_FN + "\",\"kind\":\"blocking\",\"spawn.location\":\"tokio/src/runtime/scheduler/multi_thread/worker.rs:365:13\",\"task.id\":" + span + ",\"task.name\":\"\"}",
                        "ThreadId(1)", "main"));
                out.accept(spanKey(span), span("span_enter", span, worker(w), "tokio-runtime-worker"));
            }
            blockOn = nextSpan++;
            out.accept(spanKey(blockOn), spanNew(blockOn, null, "runtime.spawn", "tokio::task",
                    "{\"kind\":\"block_on\",\"loc.col\":8,\"loc.file\":\"src/main.rs\",\"loc.line\":376,\"task.id\":" + blockOn + ",\"task.name\":\"\"}",
                    "ThreadId(1)", "main"));
            out.accept(spanKey(blockOn), span("span_enter", blockOn, "ThreadId(1)", "main"));
            sharedResource = nextSpan++;
            out.accept(spanKey(sharedResource), spanNew(sharedResource, null, "runtime.resource", "tokio::sync::mpsc",
                    "{\"concrete_type\":\"Semaphore\",\"kind\":\"Sync\"}", "ThreadId(1)", "main"));
        }

        void step(Keyed out, int maxLive) {
            int roll = random.nextInt(100);
            if (live.size() < maxLive && (live.isEmpty() || roll < 12)) {
                spawnAndPoll(out);
            } else if (roll < 22 && !live.isEmpty()) {
                finish(out, live.remove(random.nextInt(live.size())));
            } else if (!live.isEmpty()) {
                wakeAndPoll(out, live.get(random.nextInt(live.size())));
            }
        }

        private void spawnAndPoll(Keyed out) {
            long task = nextSpan++;
            spawned++;
            String name = "task-" + (spawned % 50);
            out.accept(spanKey(task), spanNew(task, blockOn, "runtime.spawn", "tokio::task",
                    "{\"kind\":\"task\",\"loc.col\":5,\"loc.file\":\"src/main.rs\",\"loc.line\":" + (100 + spawned % 50)
                            + ",\"task.id\":" + task + ",\"task.name\":\"" + name + "\"}", "ThreadId(1)", "main"));
            live.add(task);
            // Its own resource, created by the task that spawns it (a channel handed to it).
            long own = nextSpan++;
            out.accept(spanKey(own), spanNew(own, null, "runtime.resource", "tokio::sync::mpsc",
                    "{\"concrete_type\":\"Semaphore\",\"kind\":\"Sync\"}", "ThreadId(1)", "main"));
            resourceOf.put(task, own);
            poll(out, task, randomWorker(), true);
        }

        /** Someone wakes the task, then a worker polls it. */
        private void wakeAndPoll(Keyed out, long task) {
            int how = random.nextInt(100);
            String worker = randomWorker();
            if (how < 35 && live.size() > 1) {
                long other = live.get(random.nextInt(live.size()));
                if (other != task) {
                    out.accept(spanKey(other), span("span_enter", other, worker, "tokio-runtime-worker"));
                    // It sends on the woken task's channel.
                    resourceActivity(out, worker, resourceOf.get(task));
                    out.accept(eventKey(other, worker), waker("waker.wake", task, other, worker, "tokio-runtime-worker"));
                    out.accept(spanKey(other), span("span_exit", other, worker, "tokio-runtime-worker"));
                }
            } else if (how < 70) {
                // Timer or I/O driver on a worker, outside any task.
                out.accept(eventKey(null, worker), waker("waker.wake", task, null, worker, "tokio-runtime-worker"));
            } else if (how < 80) {
                out.accept(eventKey(null, "ThreadId(100)"), waker("waker.wake", task, null, "ThreadId(100)", "feeder"));
            } else if (how < 85) {
                long blocking = nextSpan++;
                out.accept(spanKey(blocking), spanNew(blocking, null, "runtime.spawn", "tokio::task::blocking",
                        "{\"fn\":\"app::io::{{closure}}\",\"kind\":\"blocking\",\"spawn.location\":\"src/main.rs:9:9\",\"task.id\":" + blocking + ",\"task.name\":\"\"}",
                        worker, "tokio-runtime-worker"));
                out.accept(spanKey(blocking), span("span_enter", blocking, "ThreadId(50)", "tokio-runtime-worker"));
                out.accept(eventKey(blocking, "ThreadId(50)"), waker("waker.wake", task, blocking, "ThreadId(50)", "tokio-runtime-worker"));
                out.accept(spanKey(blocking), span("span_exit", blocking, "ThreadId(50)", "tokio-runtime-worker"));
                out.accept(spanKey(blocking), span("span_close", blocking, "ThreadId(50)", "tokio-runtime-worker"));
            } else {
                // Self wake inside its own poll (yield-like), then the poll that follows.
                out.accept(spanKey(task), span("span_enter", task, worker, "tokio-runtime-worker"));
                out.accept(eventKey(task, worker), waker("waker.wake_by_ref", task, task, worker, "tokio-runtime-worker"));
                out.accept(spanKey(task), span("span_exit", task, worker, "tokio-runtime-worker"));
            }
            poll(out, task, worker, true);
        }

        private void finish(Keyed out, long task) {
            String worker = randomWorker();
            out.accept(eventKey(null, worker), waker("waker.wake", task, null, worker, "tokio-runtime-worker"));
            poll(out, task, worker, false);
            out.accept(spanKey(task), span("span_close", task, worker, "tokio-runtime-worker"));
            long own = resourceOf.remove(task);
            out.accept(spanKey(own), span("span_close", own, worker, "tokio-runtime-worker"));
        }

        /** One poll: the task's span, a resource's async_op.poll span and its state updates inside. */
        private void poll(Keyed out, long task, String worker, boolean parks) {
            out.accept(spanKey(task), span("span_enter", task, worker, "tokio-runtime-worker"));
            resourceActivity(out, worker, random.nextInt(SHARED_ONE_IN) == 0 ? sharedResource : resourceOf.get(task));
            if (parks) {
                out.accept(eventKey(task, worker), waker("waker.clone", task, task, worker, "tokio-runtime-worker"));
            }
            out.accept(spanKey(task), span("span_exit", task, worker, "tokio-runtime-worker"));
        }

        /** Activity on one resource: its state updates, and an async op polled on it. */
        private void resourceActivity(Keyed out, String worker, long resource) {
            boolean newOp = random.nextInt(4) == 0;
            long op = newOp ? nextSpan++ : resource;
            if (newOp) {
                out.accept(spanKey(op), spanNew(op, resource, "runtime.resource.async_op", "tokio::sync::mpsc", "{\"source\":\"Receiver::recv\"}", worker, "tokio-runtime-worker"));
            }
            for (int i = 0; i < 3; i++) {
                out.accept(spanKey(resource), span("span_enter", resource, worker, "tokio-runtime-worker"));
                out.accept(eventKey(resource, worker), event("runtime::resource::state_update", resource, worker,
                        "{\"permits\":" + random.nextInt(8) + ",\"permits.op\":\"override\"}"));
                out.accept(spanKey(resource), span("span_exit", resource, worker, "tokio-runtime-worker"));
            }
            out.accept(spanKey(op), span("span_enter", op, worker, "tokio-runtime-worker"));
            out.accept(eventKey(op, worker), event("runtime::resource::poll_op", op, worker, "{\"op_name\":\"poll_recv\",\"is_ready\":false}"));
            out.accept(spanKey(op), span("span_exit", op, worker, "tokio-runtime-worker"));
            if (newOp) {
                out.accept(spanKey(op), span("span_close", op, worker, "tokio-runtime-worker"));
            }
        }

        private String spanKey(long span) {
            return SourceKeys.span(source, span);
        }

        private String eventKey(Long parent, String thread) {
            return parent != null ? SourceKeys.span(source, parent) : SourceKeys.rootEvent(source, thread);
        }

        private String randomWorker() {
            return worker(random.nextInt(WORKERS));
        }

        private static String worker(int w) {
            return "ThreadId(" + (2 + w) + ")";
        }

        private StringBuilder head(String type, String thread, String threadName) {
            ts = wallClock == null ? ts + 200 + random.nextInt(800) : Math.max(ts + 1, wallClock.getAsLong());
            return new StringBuilder(256).append("{\"type\":\"").append(type).append("\",\"source\":\"").append(source)
                    .append("\",\"seq\":").append(seq++).append(",\"ts_nanos\":").append(ts)
                    .append(",\"thread.id\":\"").append(thread).append("\",\"thread.name\":\"").append(threadName).append('"');
        }

        private String spanNew(long span, Long parent, String name, String target, String fields, String thread, String threadName) {
            return head("span_new", thread, threadName).append(",\"span_id\":").append(span)
                    .append(",\"parent_id\":").append(parent).append(",\"name\":\"").append(name)
                    .append("\",\"target\":\"").append(target).append("\",\"level\":\"TRACE\",\"fields\":").append(fields)
                    .append('}').toString();
        }

        private String span(String type, long span, String thread, String threadName) {
            return head(type, thread, threadName).append(",\"span_id\":").append(span).append('}').toString();
        }

        private String event(String target, Long parent, String thread, String fields) {
            return head("event", thread, "tokio-runtime-worker").append(",\"parent_id\":").append(parent)
                    .append(",\"name\":\"event\",\"target\":\"").append(target).append("\",\"level\":\"TRACE\",\"fields\":")
                    .append(fields).append('}').toString();
        }

        private String waker(String op, long wakee, Long parent, String thread, String threadName) {
            return head("event", thread, threadName).append(",\"parent_id\":").append(parent)
                    .append(",\"name\":\"event tokio/src/runtime/task/waker.rs:1\",\"target\":\"tokio::task::waker\",\"level\":\"TRACE\",\"fields\":{\"op\":\"")
                    .append(op).append("\",\"task.id\":").append(wakee).append("}}").toString();
        }
    }
}
