package io.tokiowakes.resilience;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.OutputDumper;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared by the "nothing lost" tests: a fleet made of the fixtures, the job as a separate JVM,
 * replaying in the background, waiting for and dumping the outputs, and comparing them with
 * {@code analyze} over the same records. The broker comes from {@link io.tokiowakes.kafka.LocalKafkaExtension},
 * the helpers any broker test uses (reading committed records, waiting) from {@link KafkaTestSupport}.
 */
public final class ResilienceSupport {

    public static final List<String> OUTPUT_FILES = List.of(TraceFileAnalyzer.WAKE_EDGES_FILE,
            TraceFileAnalyzer.ANOMALIES_FILE, TraceFileAnalyzer.TASK_SUMMARIES_FILE);

    /** Group membership of a killed job must expire quickly; 6 s is the broker's minimum. */
    public static final String SESSION_TIMEOUT_MS = "6000";

    /**
     * Broker settings for tests that kill a job mid-transaction: the open transaction of the dead
     * producer blocks read_committed readers until the broker aborts it, and by default the broker
     * only looks for expired transactions every 10 s.
     */
    public static final Map<String, String> FAST_TRANSACTION_EXPIRY =
            Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    private static final Map<String, String> FIXTURE_SOURCES = Map.of(
            "seed-program", "tracegen-seed",
            "mixed-w2", "tracegen-mixed");

    private ResilienceSupport() {
    }

    /**
     * Both fixtures copied under {@code copies} services: copy {@code i} of seed-program becomes
     * source {@code svc-i/seed}, of mixed-w2 {@code svc-i/mixed}; only the top-level "source"
     * changes, byte for byte. The copies are sent {@code copiesAtOnce} at a time, interleaved, so
     * that many sources are half-way through their trace at any moment while earlier ones have
     * finished (and have outputs).
     */
    public static List<byte[]> fleet(int copies, int copiesAtOnce) {
        Map<String, List<byte[]>> fixtures = new TreeMap<>();
        FIXTURE_SOURCES.keySet().forEach(f -> fixtures.put(f, KafkaTestSupport.fixture(f)));
        List<byte[]> out = new ArrayList<>();
        for (int first = 0; first < copies; first += copiesAtOnce) {
            List<List<byte[]>> wave = new ArrayList<>();
            for (int i = first; i < Math.min(copies, first + copiesAtOnce); i++) {
                String service = String.format("svc-%02d", i);
                for (var f : fixtures.entrySet()) {
                    String suffix = f.getKey().startsWith("seed") ? "seed" : "mixed";
                    wave.add(withSource(f.getValue(), FIXTURE_SOURCES.get(f.getKey()), service + "/" + suffix));
                }
            }
            out.addAll(mergeEvenly(wave));
        }
        return out;
    }

    /** The records with their top-level source replaced; everything else is kept as it was. */
    public static List<byte[]> withSource(List<byte[]> records, String from, String to) {
        String needle = "\"source\":\"" + from + "\"";
        String replacement = "\"source\":\"" + to + "\"";
        List<byte[]> out = new ArrayList<>(records.size());
        for (byte[] r : records) {
            String line = new String(r, StandardCharsets.UTF_8);
            int at = line.indexOf(needle);
            if (at < 0 || line.indexOf(needle, at + 1) >= 0) {
                throw new IllegalArgumentException("expected exactly one " + needle + " in " + line);
            }
            out.add((line.substring(0, at) + replacement + line.substring(at + needle.length()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Interleaves the lists, each advancing at the same relative pace; each keeps its order. */
    private static List<byte[]> mergeEvenly(List<List<byte[]>> lists) {
        int total = lists.stream().mapToInt(List::size).sum();
        int[] next = new int[lists.size()];
        List<byte[]> out = new ArrayList<>(total);
        while (out.size() < total) {
            int pick = -1;
            double least = Double.MAX_VALUE;
            for (int i = 0; i < lists.size(); i++) {
                if (next[i] < lists.get(i).size()) {
                    double progress = (double) next[i] / lists.get(i).size();
                    if (progress < least) {
                        least = progress;
                        pick = i;
                    }
                }
            }
            out.add(lists.get(pick).get(next[pick]++));
        }
        return out;
    }

    /** What {@code analyze} writes for these records, into {@code dir}. */
    public static AnalysisResult analyze(List<byte[]> records, JobSettings settings, Path dir) throws IOException {
        return new TraceFileAnalyzer(settings).analyze(sink -> {
            long n = 0;
            for (byte[] r : records) {
                sink.accept(++n, r);
            }
        }, dir);
    }

    /**
     * What {@code analyze} writes with the default settings for records that are all valid, into
     * {@code dir/analyze}: the reference the job's outputs are compared with.
     *
     * @return that folder
     */
    public static Path analyzeValid(List<byte[]> records, Path dir) throws IOException {
        Path analyzed = dir.resolve("analyze");
        AnalysisResult result = analyze(records, JobSettings.defaults(), analyzed);
        if (result.rejected() != 0) {
            fail(result.rejected() + " of the records were rejected; they must all be valid");
        }
        return analyzed;
    }

    /** How many non-blank lines each of the {@link #OUTPUT_FILES} in {@code dir} has, by file name. */
    public static Map<String, Long> lineCounts(Path dir) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (String f : OUTPUT_FILES) {
            counts.put(f, (long) lines(dir.resolve(f)).size());
        }
        return counts;
    }

    /**
     * Dumps the committed outputs until there are at least as many as {@code analyze} wrote (or
     * the deadline passed), then once more after a quiet spell, so that duplicates written late
     * are seen too.
     */
    public static Path awaitOutputs(Properties client, Topics topics, Path analyzed, Path out, Duration timeout)
            throws IOException {
        return awaitOutputs(client, topics, analyzed, out, timeout, line -> true);
    }

    /** As above, counting only the output lines that pass {@code counted} (e.g. of some sources). */
    public static Path awaitOutputs(Properties client, Topics topics, Path analyzed, Path out, Duration timeout,
                                    Predicate<String> counted) throws IOException {
        Map<String, Long> expected = lineCounts(analyzed);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OutputDumper.dump(client, topics, out, Duration.ofSeconds(2));
            Map<String, Long> counts = new HashMap<>();
            for (String f : OUTPUT_FILES) {
                counts.put(f, lines(out.resolve(f)).stream().filter(counted).count());
            }
            if (OUTPUT_FILES.stream().allMatch(f -> counts.get(f) >= expected.get(f))) {
                break;
            }
        }
        OutputDumper.dump(client, topics, out, Duration.ofSeconds(4));
        return out;
    }

    /**
     * The job's outputs are {@code analyze}'s, line for line (order aside): every missing line is
     * a loss, every extra one a duplicate or a divergence.
     */
    public static void assertSameAsAnalyze(Path analyzed, Path dumped, String context) throws IOException {
        assertSameAsAnalyze(analyzed, dumped, context, line -> true);
    }

    /** As above, for the job's output lines that pass {@code compared} (e.g. of some sources). */
    public static void assertSameAsAnalyze(Path analyzed, Path dumped, String context, Predicate<String> compared)
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (String f : OUTPUT_FILES) {
            List<String> expected = lines(analyzed.resolve(f));
            List<String> found = lines(dumped.resolve(f)).stream().filter(compared).toList();
            if (!expected.equals(found)) {
                List<String> missing = minus(expected, found);
                List<String> extra = minus(found, expected);
                problems.add(f + ": analyze wrote " + expected.size() + " lines, the job " + found.size()
                        + "; missing " + missing.size() + first(missing) + "; extra " + extra.size() + first(extra));
            }
        }
        if (!problems.isEmpty()) {
            fail("outputs differ from analyze's (" + context + "):\n" + String.join("\n", problems));
        }
    }

    /** Output lines of these sources only (values are compact JSON with a top-level "source"). */
    public static Predicate<String> ofSources(Set<String> sources) {
        return line -> {
            try {
                return sources.contains(Json.MAPPER.readTree(line).path("source").asText());
            } catch (IOException e) {
                return false;
            }
        };
    }

    /**
     * How often the job logged that a source's record came after a later one had been applied:
     * then that source's records were applied out of order and its outputs cannot match.
     */
    public static long lateRecordWarnings(String jobOutput) {
        return jobOutput.lines().filter(l -> l.contains("arrived after a later one was applied")).count();
    }

    private static String first(List<String> lines) {
        return lines.isEmpty() ? "" : " (e.g. " + String.join(" | ", lines.subList(0, Math.min(3, lines.size()))) + ")";
    }

    /** Multiset difference of two sorted lists. */
    private static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> left = new HashMap<>();
        b.forEach(s -> left.merge(s, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        for (String s : a) {
            Integer n = left.get(s);
            if (n == null || n == 0) {
                out.add(s);
            } else {
                left.put(s, n - 1);
            }
        }
        return out;
    }

    /** The file's non-blank lines, sorted: outputs compared without regard to order. */
    public static List<String> lines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(String::isBlank);
        lines.sort(null);
        return lines;
    }

    /** Replays records in a background thread at a steady rate; {@link #sent()} tells how far it got. */
    public static final class BackgroundReplay implements AutoCloseable {
        private final TraceReplayer replayer;
        private final CompletableFuture<Long> done;
        private volatile long sent;

        /** Starts sending {@code records} to {@code topic}, {@code ratePerSecond} a second. */
        public BackgroundReplay(Properties client, String topic, List<byte[]> records, long ratePerSecond) {
            replayer = new TraceReplayer(client, topic, ratePerSecond);
            done = CompletableFuture.supplyAsync(() -> {
                for (byte[] r : records) {
                    replayer.send(r);
                    sent++;
                }
                replayer.flush();
                return replayer.sent();
            });
        }

        /** How many records were handed to the producer so far. */
        public long sent() {
            return sent;
        }

        /** Whether the replay finished (or failed). */
        public boolean isDone() {
            return done.isDone();
        }

        /** Waits until every record is acknowledged by the broker; returns how many were sent. */
        public long await(Duration timeout) throws Exception {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            done.cancel(true);
            replayer.close();
        }
    }

    /**
     * Where a test keeps its job logs: under the build directory, so that they are still there
     * to read when a test failed (the test's temporary directory is gone by then).
     */
    public static Path logDir(String test) throws IOException {
        return Files.createDirectories(Path.of("target", "resilience-logs", test).toAbsolutePath());
    }

    /** A line of the test's timeline on stdout (the failsafe report keeps it). */
    public static void note(String what) {
        System.out.printf("%tT.%<tL %s%n", System.currentTimeMillis(), what);
    }

    /**
     * {@code java -cp <test classpath> io.tokiowakes.cli.Main ...} as a child process, output to a
     * log file; {@link #close()} stops it if it is still running.
     */
    public static final class JobProcess implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;

        private JobProcess(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        /** {@code Main run} with the test's defaults for fast failure detection; extra args appended. */
        public static JobProcess run(String name, Path logDir, String bootstrap, JobSettings settings,
                                     String applicationId, Path stateDir, String... extra) throws IOException {
            List<String> args = new ArrayList<>(List.of("run", "--bootstrap-server", bootstrap,
                    "--topic-prefix", KafkaTestSupport.prefixOf(settings), "--application-id", applicationId, "--partitions", "4",
                    "-X", "state.dir=" + stateDir,
                    "-X", "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                    "-X", "heartbeat.interval.ms=1500"));
            args.addAll(List.of(extra));
            return start(name, logDir, List.of(), args);
        }

        /**
         * Starts {@code Main} with {@code mainArgs} in a JVM given {@code jvmArgs}, its output in
         * {@code <logDir>/<name>.log} (replacing an earlier one).
         */
        public static JobProcess start(String name, Path logDir, List<String> jvmArgs, List<String> mainArgs)
                throws IOException {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            Files.deleteIfExists(log);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx384m");
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tokiowakes.cli.Main"));
            cmd.addAll(mainArgs);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            p.getOutputStream().close();
            return new JobProcess(name, p, log);
        }

        /** Whether the process is still running. */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** What the process printed so far (stdout and stderr), empty before its log exists. */
        public String output() throws IOException {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }

        /** Waits until the job printed that it started (it then joins its group and restores). */
        public JobProcess awaitStarted(Duration timeout) throws Exception {
            KafkaTestSupport.await(name + " to start", timeout, () -> {
                try {
                    if (!process.isAlive()) {
                        fail(name + " exited with " + process.exitValue() + ":\n" + output());
                    }
                    return output().contains("running: ");
                } catch (IOException e) {
                    return false;
                }
            });
            return this;
        }

        /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail(name + " survived SIGKILL");
            }
        }

        /** The exit code; only once the process has exited. */
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }

        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ", log " + log + ")";
        }
    }
}
