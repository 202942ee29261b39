package io.tokiowakes.bench;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.Set;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One run, on a real local broker, of everything the job's speed is judged by: the physical
 * limit (a plain consumer reading and parsing the input), the job exactly-once against it,
 * {@code analyze} on the same data as a file, wake-edge latency at a steady rate below capacity,
 * and state size against live tasks. Figures are printed, nothing is asserted.
 */
public final class Benchmark {

    public record Options(long records, int sources, int liveTasksPerSource, int partitions,
                          List<Integer> threads, long latencySeconds, double latencyRate, boolean latencyOnly, Path dir,
                          Map<String, String> streamsConfig) {
    }

    /** Seconds at the latency phase's rate before latencies are counted. */
    private static final int LATENCY_WARM_UP_S = 5;

    private final Options options;
    private final PrintStream out;

    public Benchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * A timed run: records per second (wall clock) and the CPU its threads used per record (ns):
     * the machine's speed drifts by a third within minutes, the CPU a record costs much less.
     */
    private record Run(double rate, double cpuNanosPerRecord) {

        /** The mean of a limit measured before a run and one measured after it. */
        static Run between(Run before, Run after) {
            return new Run((before.rate + after.rate) / 2, (before.cpuNanosPerRecord + after.cpuNanosPerRecord) / 2);
        }

        /** This run beside the limit measured around it: rate and CPU per record, and their shares. */
        String against(Run limit) {
            return String.format("%,.0f records/s = %.0f %% of the limit measured around it (%,.0f records/s);"
                            + " CPU %.2f µs per record = %.0f %% of the limit's %.2f µs", rate, 100 * rate / limit.rate,
                    limit.rate, cpuNanosPerRecord / 1000, 100 * cpuNanosPerRecord / limit.cpuNanosPerRecord,
                    limit.cpuNanosPerRecord / 1000);
        }
    }

    /** A job's runs, each set against the limit measured around it; judged by their medians. */
    private static final class Runs {
        private final List<Double> rates = new ArrayList<>();
        private final List<Double> shares = new ArrayList<>();

        /** Adds a run; returns it described beside its limit. */
        String add(Run run, Run limit) {
            rates.add(run.rate());
            shares.add(run.rate() / limit.rate());
            return run.against(limit);
        }

        double rate() {
            return median(rates);
        }

        double share() {
            return median(shares);
        }

        @Override
        public String toString() {
            return String.format("median of %d runs: %,.0f records/s, %.0f %% of the limit (shares %s)", rates.size(), rate(),
                    100 * share(), shares.stream().map(x -> String.format("%.0f %%", 100 * x)).collect(Collectors.joining(", ")));
        }
    }

    /** One generated trace on a topic of its own, and what the job must find in it. */
    private record Trace(String name, int sources, JobSettings settings, Path file, long records, long liveTasks,
                         long expectedEdges, InputOrder.Disorder disorder) {
    }

    public void run() throws Exception {
        Path dir = options.dir();
        out.printf("settings: %s%n", options.streamsConfig().isEmpty() ? "the job's defaults" : options.streamsConfig());
        out.printf("machine: %d cores, JVM heap max %d MB, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0, Map.of())) {
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());

            if (options.latencyOnly()) {
                // The JIT compiles the job's code first, as in a whole run (a cold job would start
                // the phase seconds behind and spend it catching up).
                warmUp(kafka, client, trace(client, "fleet", options.sources(), options.liveTasksPerSource()));
                liveWarmUp(client, options.latencyRate());
                latency(client, options.sources(), options.latencyRate());
                latency(client, 1, options.latencyRate());
                return;
            }
            // The same volume from a fleet and from one busy process (as many live tasks in all).
            Trace fleet = trace(client, "fleet", options.sources(), options.liveTasksPerSource());
            Trace one = trace(client, "one", 1, options.liveTasksPerSource() * options.sources());

            Run limit = readAndParse(client, fleet);
            out.printf("1. limit, plain consumer read+parse: %,.0f records/s, %.2f µs of CPU per record%n",
                    limit.rate(), limit.cpuNanosPerRecord() / 1000);

            // analyze: its first run in a fresh JVM is what one command costs (JIT included);
            // the best of the next runs is its speed on a long file.
            long t0 = System.nanoTime();
            analyze(fleet.settings(), fleet.file());
            double analyzeFirst = fleet.records() / seconds(t0);
            double analyzeWarm = 0;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                analyze(fleet.settings(), fleet.file());
                analyzeWarm = Math.max(analyzeWarm, fleet.records() / seconds(t));
            }

            warmUp(kafka, client, fleet);
            // Every thread count RUNS times, in turns (1, 2, 4, 1, 2, 4, ...), each run between two
            // measurements of the limit and set against their mean: the machine's speed drifts by
            // up to 3 x within minutes, and a run's share of a limit measured at another moment
            // drifts with it. The median of each count's shares compares the counts.
            int defaultThreads = WakeJob.defaultThreads(options.partitions());
            Map<Integer, Runs> fleetRuns = new java.util.TreeMap<>();
            Runs oneRuns = new Runs();
            Run before = readAndParse(client, fleet);
            for (int round = 1; round <= RUNS; round++) {
                for (int threads : options.threads()) {
                    Run run = job(kafka, client, fleet, threads, true);
                    Run after = readAndParse(client, fleet);
                    out.printf("2. job, exactly_once_v2, %d stream thread(s), %d sources, round %d of %d: %s%n", threads,
                            fleet.sources(), round, RUNS, fleetRuns.computeIfAbsent(threads, t -> new Runs())
                                    .add(run, Run.between(before, after)));
                    before = after;
                }
                // One busy process: the same volume from 1 source, the default thread count.
                Run run = job(kafka, client, one, defaultThreads, true);
                Run after = readAndParse(client, fleet);
                out.printf("2. job, exactly_once_v2, %d stream thread(s) (the default), 1 source, round %d of %d: %s%n",
                        defaultThreads, round, RUNS, oneRuns.add(run, Run.between(before, after)));
                before = after;
            }
            Map<Integer, Double> rates = new java.util.TreeMap<>();
            Map<Integer, Double> shares = new java.util.TreeMap<>();
            fleetRuns.forEach((threads, runs) -> {
                rates.put(threads, runs.rate());
                shares.put(threads, runs.share());
                out.printf("   %d stream thread(s)%s, %s%n", threads, threads == defaultThreads ? " (the default)" : "", runs);
            });
            // What Kafka Streams itself costs: the same topic, exactly-once, a processor that does nothing.
            Floor floor = streamsFloor(kafka, client, fleet, defaultThreads);
            Run afterFloor = readAndParse(client, fleet);
            out.printf("2. Kafka Streams alone (exactly_once_v2, %d stream thread(s), a processor that does nothing): %s%n",
                    defaultThreads, floor.run().against(Run.between(before, afterFloor)));
            out.printf("   the broker (same machine) used %s of CPU per record%n", floor.brokerPerRecord());
            double fleetDefault = rates.containsKey(defaultThreads) ? rates.get(defaultThreads)
                    : job(kafka, client, fleet, defaultThreads, false).rate();
            out.printf("   1 source, %s; %.0f %% of the %d-source rate (%,.0f records/s)%n", oneRuns,
                    100 * oneRuns.rate() / fleetDefault, fleet.sources(), fleetDefault);
            int fastest = threadsOfMost(rates, defaultThreads);
            double best = rates.getOrDefault(fastest, fleetDefault);
            // The machine's speed drifts between runs: the share of the limit measured around a run
            // compares thread counts; the highest rate sets the latency phase's rate.
            int bestThreads = threadsOfMost(shares, defaultThreads);
            out.printf("   best: %d stream thread(s), median %.0f %% of the limit measured around its runs; highest rate %,.0f records/s"
                            + " (%d stream thread(s)); the default on this machine is %d%n",
                    bestThreads, 100 * shares.getOrDefault(bestThreads, 0.0), best, fastest, defaultThreads);
            out.printf("3. analyze (same data, from a file): %,.0f records/s warm (best of 3 runs); first run in the JVM %,.0f records/s%n",
                    analyzeWarm, analyzeFirst);
            if (options.latencySeconds() > 0) {
                double rate = options.latencyRate() > 0 ? options.latencyRate() : best / 2;
                liveWarmUp(client, rate);
                latency(client, options.sources(), rate);
                latency(client, 1, rate);
            }
        }
    }

    /** The job's own settings among the -X ones (e.g. {@code reorder.window.ms}), defaults for the rest. */
    private JobSettings jobSettings() {
        Properties p = new Properties();
        p.putAll(options.streamsConfig());
        return JobSettings.from(p);
    }

    /** Generates a trace of {@code sources} processes into a topic of its own and a file. */
    private Trace trace(Properties client, String name, int sources, int liveTasksPerSource) throws Exception {
        JobSettings settings = jobSettings().withTopics(Topics.withPrefix("bench-" + name + "."));
        TopicSetup.ensure(client, settings.topics(), options.partitions(), options.partitions());
        Path file = options.dir().resolve(name + ".jsonl");
        LoadGenerator generator = new LoadGenerator(sources, liveTasksPerSource, 1);
        long records = load(client, settings.topics().input(), file, generator);
        AnalysisResult analyzed = analyze(settings, file);
        long expectedEdges = JobMetrics.edges(analyzed.counters());
        out.printf("input %s: %,d records (%,d MB) from %d source(s), %,d tasks spawned, %,d live at the end, %,d wake edges;"
                        + " its partitions hold %s of the records (one stream thread reads each)%n",
                name, records, Files.size(file) >> 20, sources, generator.tasksSpawned(), generator.liveTasks(), expectedEdges,
                partitionShares(client, settings.topics().input()));
        InputOrder.Disorder disorder = InputOrder.of(client, settings.topics().input(), settings.reorderWindowMs());
        return new Trace(name, sources, settings, file, records, generator.liveTasks(), expectedEdges, disorder);
    }

    /**
     * The first runs of the job in a JVM spend much of the machine compiling its code (the JIT
     * takes most of a core for tens of seconds, beside the broker); a deployed job runs for days.
     * Runs over the same data are repeated, not counted, until compiling takes under 5 % of a run.
     */
    private void warmUp(LocalKafka kafka, Properties client, Trace trace) throws Exception {
        int threads = options.threads().get(0);
        for (int run = 1; run <= MAX_WARM_UP_RUNS; run++) {
            JitShare jit = JitShare.start();
            double rate = job(kafka, client, trace, threads, false).rate();
            double compiling = jit.sinceStart();
            out.printf("   warm-up run %d, %d stream thread(s): %,.0f records/s, JIT compiling %.0f %% of the run; not counted%n",
                    run, threads, rate, 100 * compiling);
            if (compiling < JitShare.QUIET) {
                return;
            }
        }
    }

    private static final int MAX_WARM_UP_RUNS = 8;
    /** Runs of each thread count over the fleet's trace, each between two measurements of the limit. */
    private static final int RUNS = 3;

    /** The middle value (the mean of the two middle ones for an even count); the list is not changed. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private AnalysisResult analyze(JobSettings settings, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new TraceFileAnalyzer(settings).analyze(TraceLines.of(in), options.dir().resolve("analyze-out"));
        }
    }

    /** Generates the trace into the input topic and a file. */
    private long load(Properties client, String topic, Path file, LoadGenerator generator) throws IOException {
        long[] n = {0};
        try (TraceReplayer replayer = new TraceReplayer(client, topic, 0);
             OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            generator.generateKeyed(options.records(), (key, line) -> {
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                replayer.send(key, value);
                try {
                    fileOut.write(value);
                    fileOut.write('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                n[0]++;
            });
            replayer.flush();
        }
        return n[0];
    }

    /** The thread count with the highest figure, {@code otherwise} when none was measured. */
    private static int threadsOfMost(Map<Integer, Double> byThreads, int otherwise) {
        return byThreads.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(otherwise);
    }

    /** Reads and parses every record of the trace's input topic on this thread. */
    private Run readAndParse(Properties client, Trace trace) {
        String topic = trace.settings().topics().input();
        long records = trace.records();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long seen = 0;
            long valid = 0;
            long t0 = System.nanoTime();
            long cpu0 = cpu.getCurrentThreadCpuTime();
            while (seen < records) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    try {
                        decoder.decode(r.value());
                        valid++;
                    } catch (InvalidRecordException e) {
                        // counted as read; the limit is about reading and parsing
                    }
                }
            }
            double rate = seen / seconds(t0);
            double cpuPerRecord = (double) (cpu.getCurrentThreadCpuTime() - cpu0) / seen;
            if (valid != seen) {
                out.printf("   (%d records did not parse)%n", seen - valid);
            }
            return new Run(rate, cpuPerRecord);
        }
    }

    /**
     * The job over the pre-filled topic, timed from RUNNING until every input record is committed
     * and every wake edge is readable on its topic (committed): both stages done, not the first.
     * When reporting, it also says how many of the wake edges the wake stage had emitted (counted
     * by its {@link JobMetrics} when emitted, committed or not) and how many the benchmark's
     * {@code read_committed} consumer had read when it saw every input record committed (it looks
     * every 100 ms): the rest of the run is the drain of the pipeline behind the ingest.
     */
    private Run job(LocalKafka kafka, Properties client, Trace trace, int threads, boolean report) throws Exception {
        JobSettings settings = trace.settings();
        long records = trace.records();
        String appId = "bench-job-" + trace.name() + "-" + threads + "-" + System.nanoTime();
        Properties p = runConfig(client, appId, threads);
        try (CommittedCounter edges = new CommittedCounter(client, settings.topics().wakeEdges());
             WakeJob job = new WakeJob(p, settings).start(); Admin admin = Admin.create(client)) {
            // Timed from the moment the job runs: joining the group and creating its topics is not throughput.
            job.awaitRunning(Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            double cpu0 = jobThreadsCpuNanos(appId);
            OptionalLong broker0 = kafka.cpuNanos();
            ThreadTotals kafka0 = ThreadTotals.of(job.streams());
            List<TopicPartition> input = partitions(admin, settings.topics().input());
            while (committed(admin, appId, input) < records) {
                Thread.sleep(100);
            }
            double inputSeconds = seconds(t0);
            // How far the wake stage had come by then: what it does after this is the pipeline's drain.
            long emittedAtInput = JobMetrics.edges(job.metrics().snapshot());
            long readableAtInput = edges.count();
            while (edges.count() < trace.expectedEdges() && seconds(t0) < 600) {
                Thread.sleep(20);
            }
            double allSeconds = seconds(t0);
            double cpuPerRecord = (jobThreadsCpuNanos(appId) - cpu0) / records;
            if (report) {
                out.printf("   input committed after %.1f s, when the wake stage had emitted %.0f %% of the wake edges (%.0f %% readable);"
                                + " last wake edge committed after %.1f s (%.0f %% of the run after the input); the broker (same"
                                + " machine) used %s of CPU per record%n", inputSeconds,
                        100.0 * emittedAtInput / trace.expectedEdges(), 100.0 * readableAtInput / trace.expectedEdges(),
                        allSeconds, 100 * Math.max(0, allSeconds - inputSeconds) / allSeconds,
                        brokerPerRecord(kafka, broker0, records));
                ThreadTotals during = ThreadTotals.of(job.streams()).since(kafka0);
                double threadNs = threads * allSeconds * 1e9;
                out.printf("   stream threads blocked on Kafka %.0f %% of the run (producer flushes %.0f %%, transactions' round"
                                + " trips %.0f %%, polls %.0f %%); %,.0f commits, %.0f ms each on average; their"
                                + " producers sent %,.0f requests (%.2f per 1,000 input records); produce requests took %.0f ms"
                                + " from send to response on average%n",
                        100 * during.blockedNs() / threadNs, 100 * during.flushNs() / threadNs,
                        100 * during.transactionNs() / threadNs, 100 * during.pollNs() / threadNs, during.commits(),
                        during.commits() == 0 ? 0 : during.commitMs() / during.commits(), during.producerRequests(),
                        1000 * during.producerRequests() / records, during.produceMeanMs());
                stateReport(job, trace);
            }
            return new Run(records / Math.max(inputSeconds, allSeconds), cpuPerRecord);
        }
    }

    /**
     * A timed run's Kafka Streams settings: {@code base}, its own application id, state folder and
     * stream threads, then the {@code -X} settings.
     */
    private Properties runConfig(Properties base, String appId, int threads) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        p.put(StreamsConfig.STATE_DIR_CONFIG, options.dir().resolve("state-" + appId).toString());
        p.putAll(options.streamsConfig());
        return p;
    }

    /**
     * Kafka Streams with the job's settings over the trace's input topic, exactly-once, with one
     * processor that does nothing: what reading through Kafka Streams costs before the job does
     * anything. Timed as the job is, from RUNNING until every input record is committed.
     */
    private Floor streamsFloor(LocalKafka kafka, Properties client, Trace trace, int threads) throws Exception {
        long records = trace.records();
        String appId = "bench-floor-" + threads + "-" + System.nanoTime();
        Properties p = runConfig(WakeJob.streamsConfig(client, trace.settings()), appId, threads);
        StreamsBuilder builder = new StreamsBuilder();
        AtomicLong firstRecordNanos = new AtomicLong(Long.MAX_VALUE);
        builder.stream(trace.settings().topics().input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new NoOp(firstRecordNanos));
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p); Admin admin = Admin.create(client)) {
            double cpu0 = jobThreadsCpuNanos(appId);
            OptionalLong broker0 = kafka.cpuNanos();
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // A stream thread may start, and even finish, its partitions before the instance as a
            // whole reports RUNNING: the run starts at whichever comes first. The CPU counts from
            // the start, group join included (a few ms of the threads' time).
            long t0 = Math.min(System.nanoTime(), firstRecordNanos.get());
            List<TopicPartition> input = partitions(admin, trace.settings().topics().input());
            while (committed(admin, appId, input) < records && seconds(t0) < 600) {
                Thread.sleep(100);
            }
            double secs = seconds(t0);
            return new Floor(new Run(records / secs, (jobThreadsCpuNanos(appId) - cpu0) / records),
                    brokerPerRecord(kafka, broker0, records));
        }
    }

    /** Kafka Streams alone: its run, and the broker's CPU per record over it, as printed. */
    private record Floor(Run run, String brokerPerRecord) {
    }

    /**
     * The broker's CPU per input record since {@code since}, printed in µs ("n/a" where the
     * operating system does not say). The broker runs on the same machine: what the job costs it
     * takes cores from the job. The span is the run's CPU span (the floor's from its start, group
     * join included, as its threads' CPU; a job's from RUNNING).
     */
    private static String brokerPerRecord(LocalKafka kafka, OptionalLong since, long records) {
        OptionalLong now = kafka.cpuNanos();
        return since.isPresent() && now.isPresent()
                ? String.format("%.2f µs", (double) (now.getAsLong() - since.getAsLong()) / records / 1000) : "n/a";
    }

    /** A processor that does nothing with its records (Kafka Streams wants a new one per task). */
    private static final class NoOp implements Processor<byte[], byte[], Void, Void> {
        private final AtomicLong firstRecordNanos;
        private boolean seen;

        NoOp(AtomicLong firstRecordNanos) {
            this.firstRecordNanos = firstRecordNanos;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            // Nothing but noting when the first record came: the floor is what reaching here costs.
            if (!seen) {
                seen = true;
                firstRecordNanos.accumulateAndGet(System.nanoTime(), Math::min);
            }
        }
    }

    /** Counts the records that become readable (committed) on a topic from now on. */
    private static final class CommittedCounter implements AutoCloseable {
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicLong count = new AtomicLong();
        private final Thread reader;

        CommittedCounter(Properties client, String topic) throws InterruptedException {
            Properties p = new Properties();
            p.putAll(client);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // fixes the start before the job writes anything
            reader = new Thread(() -> {
                try (consumer) {
                    while (!done.get()) {
                        count.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
                    }
                }
            }, "bench-edge-counter");
            reader.start();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            done.set(true);
            reader.join();
        }
    }

    private void stateReport(WakeJob job, Trace trace) {
        StringBuilder sb = new StringBuilder();
        for (String store : WakeTopology.STATE_STORES) {
            try {
                long n = 0;
                try (var it = job.streams().store(StoreQueryParameters.fromNameAndType(store,
                        QueryableStoreTypes.<Object, Object>keyValueStore())).all()) {
                    while (it.hasNext()) {
                        it.next();
                        n++;
                    }
                }
                sb.append(store).append('=').append(n).append(' ');
            } catch (RuntimeException e) {
                sb.append(store).append("=? ");
            }
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        out.printf("5. state after the run: %s(live tasks in the trace: %,d); %s; heap used %d MB%n", sb,
                trace.liveTasks(), late(job, trace.disorder()), (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    /**
     * Live phases at the latency phase's rate, not counted, from the fleet and from one source in
     * turns, until one of each has run and the JIT compiles for less than 5 % of one (at most
     * {@link #MAX_LIVE_WARM_UPS}). The backlog warm-up leaves the live path's code (small polls and
     * batches, heartbeats, the producer beside the job) to be compiled: the first live phase after
     * it compiled for 60 % of its time and started seconds behind, where a deployed job's code is
     * long compiled. One busy source takes its own paths (one wake task doing all the work).
     */
    private void liveWarmUp(Properties client, double rate) throws Exception {
        for (int run = 1; run <= MAX_LIVE_WARM_UPS; run++) {
            int sources = run % 2 == 1 ? options.sources() : 1;
            double compiling = latency(client, "warm-up-" + run, sources, rate, LIVE_WARM_UP_S, false);
            out.printf("   live warm-up %d, %d source(s) at %,.0f records/s: JIT compiling %.0f %% of it; not counted%n",
                    run, sources, rate, 100 * compiling);
            if (run >= 2 && compiling < JitShare.QUIET) {
                return;
            }
        }
    }

    private static final int MAX_LIVE_WARM_UPS = 8;
    private static final int LIVE_WARM_UP_S = 10;

    private void latency(Properties client, int sources, double rate) throws Exception {
        latency(client, String.valueOf(sources), sources, rate, options.latencySeconds(), true);
    }

    /**
     * Steady rate below capacity; time from the send of a wake (before the producer's pacing) to
     * its edge being readable (committed), and its two parts: to the record's append time in the
     * log, and from there. The first {@link #LATENCY_WARM_UP_S} s at that rate are not counted (the first
     * transactions open); the p50 of each 2 s of the counted part shows whether the job keeps up
     * (it would grow).
     *
     * @return the share of the phase's sending time the JIT spent compiling
     */
    private double latency(Properties client, String name, int sources, double rate, long seconds, boolean report)
            throws Exception {
        JobSettings settings = jobSettings().withTopics(Topics.withPrefix("latency-" + name + "."));
        TopicSetup.ensure(client, settings.topics(), options.partitions(), options.partitions());
        Properties p = new Properties();
        p.putAll(client);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-latency-" + name);
        p.put(StreamsConfig.STATE_DIR_CONFIG, options.dir().resolve("state-latency-" + name).toString());
        p.putAll(options.streamsConfig());
        Map<String, long[]> sentAt = new ConcurrentHashMap<>();
        List<Timed> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Future<RecordMetadata>> appended = new HashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        try (WakeJob job = new WakeJob(p, settings).start()) {
            job.awaitRunning(Duration.ofSeconds(60));
            Thread reader = new Thread(() -> readEdges(client, settings.topics().wakeEdges(), sentAt, latencies, done));
            reader.start();
            // The records are made before the phase, their trace times spaced as they will be sent
            // (offset by the time it takes to make them): a fleet's services make their records on
            // their own machines, so only sending them (the producer) runs here beside the job and
            // the broker.
            long warmUp = (long) (rate * LATENCY_WARM_UP_S);
            long target = warmUp + (long) (rate * seconds);
            Packed records = new Packed();
            Map<Integer, String> wakes = new HashMap<>();
            long startNanos = (System.currentTimeMillis() + 1000) * 1_000_000L;
            LoadGenerator live = new LoadGenerator(sources, options.liveTasksPerSource() * options.sources() / sources, 2,
                    () -> startNanos + (long) (records.size() * 1e9 / rate));
            live.generateKeyed(target, (key, line) -> {
                if (records.size() >= warmUp && line.contains("\"waker.wake")) {
                    wakes.put(records.size(), edgeId(line));
                }
                records.add(key, line.getBytes(StandardCharsets.UTF_8));
            });
            long counted0;
            JitShare jit = JitShare.start();
            try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), (long) rate)) {
                counted0 = System.nanoTime() + (long) (LATENCY_WARM_UP_S * 1e9);
                for (int i = 0; i < records.size(); i++) {
                    String wake = wakes.get(i);
                    if (wake != null) {
                        sentAt.put(wake, new long[] {System.nanoTime(), System.currentTimeMillis()});
                        appended.put(wake, replayer.send(records.key(i), records.value(i)));
                    } else {
                        replayer.send(records.key(i), records.value(i));
                    }
                }
                replayer.flush();
            }
            double compiling = jit.sinceStart();
            long n = records.size();
            if (!report) {
                done.set(true);
                reader.join();
                return compiling;
            }
            Thread.sleep(3000);
            done.set(true);
            reader.join();
            double jobCpuNanos = jobThreadsCpuNanos("bench-latency-" + name);
            long read = job.metrics().recordsIn().values().stream().mapToLong(Long::longValue).sum();
            long edgesOut = JobMetrics.edges(job.metrics().snapshot());
            if (latencies.isEmpty()) {
                out.println("4. latency: no edge came back");
                return compiling;
            }
            List<Long> sorted = new ArrayList<>();
            List<Long> toLog = new ArrayList<>();
            List<Long> fromLog = new ArrayList<>();
            Map<Long, List<Long>> byTime = new java.util.TreeMap<>();
            Map<Long, List<Long>> fromLogByTime = new java.util.TreeMap<>();
            for (Timed t : latencies) {
                sorted.add(t.latencyMs());
                long bucket = Math.max(0, t.sentNanos() - counted0) / 2_000_000_000L;
                byTime.computeIfAbsent(bucket, k -> new ArrayList<>()).add(t.latencyMs());
                // The input topic is LogAppendTime: the record's timestamp is when the broker took it.
                long appendMs = appended.get(t.id()).get().timestamp();
                toLog.add(appendMs - t.sentWallMs());
                fromLog.add(t.readWallMs() - appendMs);
                fromLogByTime.computeIfAbsent(bucket, k -> new ArrayList<>()).add(t.readWallMs() - appendMs);
            }
            Collections.sort(sorted);
            Collections.sort(toLog);
            Collections.sort(fromLog);
            out.printf("4. wake-edge latency, %d source(s) at %,.0f records/s (%,d records, the first %d s not counted):"
                            + " p50 %d ms, p99 %d ms, max %d ms (%d edges)%n",
                    sources, rate, n, LATENCY_WARM_UP_S, pct(sorted, 50), pct(sorted, 99), sorted.get(sorted.size() - 1),
                    sorted.size());
            out.printf("   the job read %,d of the %,d records and wrote %,d wake edges; its threads used %.1f µs of CPU"
                    + " per record read%n", read, n, edgesOut, jobCpuNanos / Math.max(1, read) / 1000);
            out.println("   " + late(job, InputOrder.of(client, settings.topics().input(), settings.reorderWindowMs())));
            out.printf("   of which from the send to the log (the benchmark's producer): p50 %d, p99 %d, max %d ms;"
                            + " from the log to the edge readable (the job): p50 %d, p99 %d, max %d ms%n",
                    pct(toLog, 50), pct(toLog, 99), toLog.get(toLog.size() - 1),
                    pct(fromLog, 50), pct(fromLog, 99), fromLog.get(fromLog.size() - 1));
            out.println("   p50 of each 2 s, ms:" + p50s(byTime) + "; from the log:" + p50s(fromLogByTime));
            out.printf("   JIT compiling %.0f %% of the phase%n", 100 * compiling);
            return compiling;
        }
    }

    /**
     * Records made ahead of the latency phase, packed into a few large arrays: millions of small
     * objects would be copied by the collector of the JVM the job runs in at every young
     * collection, a cost no fleet puts on the job.
     */
    private static final class Packed {
        private static final int CHUNK_BYTES = 1 << 26;
        private final List<byte[]> chunks = new ArrayList<>();
        private int used = CHUNK_BYTES;
        /** Per record: chunk index (high 32 bits) and offset; then key and value lengths. */
        private long[] at = new long[1 << 16];
        private int[] keyBytes = new int[1 << 16];
        private int[] valueBytes = new int[1 << 16];
        private int size;

        void add(String key, byte[] value) {
            byte[] k = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
            if (used + k.length + value.length > CHUNK_BYTES) {
                chunks.add(new byte[CHUNK_BYTES]);
                used = 0;
            }
            if (size == at.length) {
                at = java.util.Arrays.copyOf(at, size * 2);
                keyBytes = java.util.Arrays.copyOf(keyBytes, size * 2);
                valueBytes = java.util.Arrays.copyOf(valueBytes, size * 2);
            }
            byte[] chunk = chunks.get(chunks.size() - 1);
            System.arraycopy(k, 0, chunk, used, k.length);
            System.arraycopy(value, 0, chunk, used + k.length, value.length);
            at[size] = ((long) (chunks.size() - 1) << 32) | used;
            keyBytes[size] = key == null ? -1 : k.length;
            valueBytes[size] = value.length;
            used += k.length + value.length;
            size++;
        }

        int size() {
            return size;
        }

        String key(int i) {
            return keyBytes[i] < 0 ? null
                    : new String(chunks.get((int) (at[i] >>> 32)), (int) at[i], keyBytes[i], StandardCharsets.UTF_8);
        }

        byte[] value(int i) {
            int from = (int) at[i] + Math.max(0, keyBytes[i]);
            return java.util.Arrays.copyOfRange(chunks.get((int) (at[i] >>> 32)), from, from + valueBytes[i]);
        }
    }

    /**
     * A job's Kafka client totals so far, summed over its stream threads:
     * <ul>
     * <li>ns blocked on Kafka (Kafka Streams' {@code blocked-time-ns-total}, KIP-761), and most of
     * what it adds up ({@code StreamThreadTotalBlockedTime}): the producers' flushes
     * ({@code flush-time-ns-total}), their transactions' round trips ({@code txn-*-time-ns-total}:
     * init, begin, sending offsets, commit, abort), and the main and restore consumers' polls
     * ({@code io-wait-time-ns-total}, {@code io-time-ns-total}, offset lookups); the rest, the
     * producers' waits for buffer memory and metadata, is left out (a few percent at most);</li>
     * <li>commits ({@code commit-total}) and ms spent committing (each thread's commits times its
     * {@code commit-latency-avg}: Kafka keeps no sum, and the mean is over a window, so this is an
     * estimate);</li>
     * <li>the requests the producers sent ({@code request-total}: produce requests and the
     * transactions' own, metadata included), and their produce requests' ms from send to response
     * ({@code request-latency-avg}, which the producer records for produce requests only), as a sum
     * of each producer's mean times its requests: the means of the producers weighted by how much
     * each sent, an estimate as above. A producer made anew, say for a replaced thread, starts from
     * 0, so a run with one counts less.</li>
     * </ul>
     */
    private record ThreadTotals(double blockedNs, double flushNs, double transactionNs, double pollNs,
                                double commits, double commitMs, double producerRequests, double produceLatencyMs) {

        private static final Set<String> TRANSACTION_TIMES = Set.of("txn-init-time-ns-total", "txn-begin-time-ns-total",
                "txn-send-offsets-time-ns-total", "txn-commit-time-ns-total", "txn-abort-time-ns-total");
        private static final Set<String> CONSUMER_TIMES = Set.of("io-wait-time-ns-total", "io-time-ns-total",
                "committed-time-ns-total", "commit-sync-time-ns-total");

        static ThreadTotals of(KafkaStreams streams) {
            Map<String, Double> sums = new HashMap<>();
            // Per thread (commits) and per producer (requests): means are weighted by their counts.
            Map<String, Double> commits = new HashMap<>();
            Map<String, Double> commitMeanMs = new HashMap<>();
            Map<String, Double> requests = new HashMap<>();
            Map<String, Double> requestMeanMs = new HashMap<>();
            streams.metrics().forEach((name, metric) -> {
                if (!(metric.metricValue() instanceof Number n) || Double.isNaN(n.doubleValue())) {
                    return;
                }
                double v = n.doubleValue();
                String client = name.tags().getOrDefault("client-id", "");
                switch (name.group() + "/" + name.name()) {
                    case "stream-thread-metrics/blocked-time-ns-total" -> sums.merge("blocked", v, Double::sum);
                    case "stream-thread-metrics/commit-total" -> commits.put(name.tags().get("thread-id"), v);
                    case "stream-thread-metrics/commit-latency-avg" -> commitMeanMs.put(name.tags().get("thread-id"), v);
                    case "producer-metrics/flush-time-ns-total" -> sums.merge("flush", v, Double::sum);
                    case "producer-metrics/request-total" -> requests.put(client, v);
                    case "producer-metrics/request-latency-avg" -> requestMeanMs.put(client, v);
                    default -> {
                        if (name.group().equals("producer-metrics") && TRANSACTION_TIMES.contains(name.name())) {
                            sums.merge("transactions", v, Double::sum);
                        }
                        // The job's admin client is no stream thread's.
                        if (name.group().equals("consumer-metrics") && CONSUMER_TIMES.contains(name.name())
                                && client.contains("StreamThread")) {
                            sums.merge("polls", v, Double::sum);
                        }
                    }
                }
            });
            return new ThreadTotals(sums.getOrDefault("blocked", 0.0), sums.getOrDefault("flush", 0.0),
                    sums.getOrDefault("transactions", 0.0), sums.getOrDefault("polls", 0.0), sum(commits),
                    weighted(commits, commitMeanMs), sum(requests), weighted(requests, requestMeanMs));
        }

        private static double sum(Map<String, Double> counts) {
            return counts.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Each count times its mean, summed. */
        private static double weighted(Map<String, Double> counts, Map<String, Double> means) {
            return counts.entrySet().stream().mapToDouble(e -> e.getValue() * means.getOrDefault(e.getKey(), 0.0)).sum();
        }

        /** What was added since {@code earlier}. */
        ThreadTotals since(ThreadTotals earlier) {
            return new ThreadTotals(blockedNs - earlier.blockedNs, flushNs - earlier.flushNs,
                    transactionNs - earlier.transactionNs, pollNs - earlier.pollNs, commits - earlier.commits,
                    commitMs - earlier.commitMs, producerRequests - earlier.producerRequests,
                    produceLatencyMs - earlier.produceLatencyMs);
        }

        /** Mean ms from a produce request's send to its response, over the producers. */
        double produceMeanMs() {
            return producerRequests == 0 ? 0 : produceLatencyMs / producerRequests;
        }
    }

    /**
     * CPU time (ns) used so far by the threads of the job with that application id (stream threads
     * and their clients' network threads): what the job costs, whatever else shares the machine.
     */
    private static double jobThreadsCpuNanos(String applicationId) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(applicationId))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    }

    /** The job's late records beside the input's own disorder: only such input records can be applied late. */
    private static String late(WakeJob job, InputOrder.Disorder input) {
        return String.format("late records %d (input: %,d records appended at least the window after a later record"
                + " of their source, the most %,d ms after)", job.metrics().get("late-records"), input.beyondWindow(),
                input.maxMs());
    }

    private static String p50s(Map<Long, List<Long>> byTime) {
        StringBuilder series = new StringBuilder();
        byTime.values().forEach(v -> {
            Collections.sort(v);
            series.append(' ').append(pct(v, 50));
        });
        return series.toString();
    }

    /**
     * One wake's way to its edge.
     *
     * @param id         the wake's source and seq
     * @param sentNanos  when it was sent ({@link System#nanoTime()})
     * @param sentWallMs when it was sent (wall clock, ms)
     * @param latencyMs  from the send to its edge being readable (ms)
     * @param readWallMs when its edge was read (wall clock, ms)
     */
    private record Timed(String id, long sentNanos, long sentWallMs, long latencyMs, long readWallMs) {
    }

    /** Adds a {@link Timed} for each edge whose wake was timed ({@code sentAt}: id to nanoTime, wall ms). */
    private static void readEdges(Properties client, String topic, Map<String, long[]> sentAt, List<Timed> latencies,
                                  AtomicBoolean done) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!done.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    String id = edgeId(r.value());
                    long[] sent = sentAt.remove(id);
                    if (sent != null) {
                        latencies.add(new Timed(id, sent[0], sent[1], (System.nanoTime() - sent[0]) / 1_000_000,
                                System.currentTimeMillis()));
                    }
                }
            }
        }
    }

    /** source + seq: the same for a wake record and the edge made of it. */
    private static String edgeId(String json) {
        return field(json, "\"source\":\"", '"') + "/" + field(json, "\"seq\":", ',');
    }

    /**
     * A field of a record the benchmark made (its JSON has no spaces and a fixed field order), read
     * by searching the text: the benchmark reads millions of them, a full parse each would slow it.
     *
     * @return the text between {@code prefix} and the next {@code end}, or null when either is missing
     */
    static String field(String json, String prefix, char end) {
        int i = json.indexOf(prefix);
        if (i < 0) {
            return null;
        }
        i += prefix.length();
        int j = json.indexOf(end, i);
        return j < 0 ? null : json.substring(i, j);
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
    }

    /** Each partition's share of the topic's records, in partition order, e.g. "24, 26, 25, 25 %". */
    private static String partitionShares(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions(admin, topic).forEach(tp -> request.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            return ends.values().stream().map(n -> String.format("%.0f", 100.0 * n / Math.max(1, total)))
                    .collect(Collectors.joining(", ")) + " %";
        }
    }

    private static long committed(Admin admin, String group, List<TopicPartition> parts) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return parts.stream().map(offsets::get).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
