package io.tokiowakes.cli;

import io.tokiowakes.bench.Benchmark;
import io.tokiowakes.bench.HotPath;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure the job on a local Kafka broker against the read+parse limit; print the figures.")
public final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "1000000", description = "input records (default ${DEFAULT-VALUE})")
    long records;

    @Option(names = "--sources", defaultValue = "20", description = "simulated Tokio processes (default ${DEFAULT-VALUE})")
    int sources;

    @Option(names = "--live-tasks", defaultValue = "200", description = "live tasks per source (default ${DEFAULT-VALUE})")
    int liveTasks;

    @Option(names = "--partitions", defaultValue = "4", description = "input partitions (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--threads", defaultValue = "1,2,4", split = ",", description = "stream threads to measure (default ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "length of the steady-rate phase (default ${DEFAULT-VALUE})")
    long latencySeconds;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "RECORDS_PER_S",
            description = "input rate of the latency phase (default: half the best job rate measured)")
    double latencyRate;

    @Option(names = "--dir", paramLabel = "DIR", description = "working folder, kept (default: a temporary one, removed at the end)")
    Path dir;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE", description = "a setting for the job (Kafka Streams or the job's own), e.g. -X commit.interval.ms=50 -X reorder.window.ms=100")
    java.util.Map<String, String> streamsConfig = new java.util.LinkedHashMap<>();

    @Option(names = "--latency-only", description = "only the wake-edge latency phase, at --latency-rate (after the warm-up runs)")
    boolean latencyOnly;

    @Option(names = "--hot-path-only", description = "only the in-process per-record costs (decode, serde, engine)")
    boolean hotPathOnly;

    @Override
    public Integer call() throws Exception {
        if (latencyOnly && latencyRate <= 0) {
            throw new UserError("--latency-only needs --latency-rate");
        }
        HotPath.run(200_000, System.out);
        if (hotPathOnly) {
            return 0;
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("tokio-wakes-bench") : Files.createDirectories(dir);
        try {
            new Benchmark(new Benchmark.Options(records, sources, liveTasks, partitions, threads, latencySeconds, latencyRate,
                    latencyOnly, work, streamsConfig), System.out).run();
        } finally {
            // The broker's log and the traces take about a gigabyte a run; a folder given with --dir is kept.
            if (temporary) {
                Utils.delete(work.toFile());
            }
        }
        return 0;
    }
}
