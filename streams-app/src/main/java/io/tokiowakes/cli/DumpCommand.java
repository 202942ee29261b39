package io.tokiowakes.cli;

import io.tokiowakes.kafka.OutputDumper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Read the output topics (committed records) into wake-edges.jsonl, anomalies.jsonl, task-summaries.jsonl.")
public final class DumpCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--idle-ms", defaultValue = "5000", description = "stop after the topics stayed idle this long (default ${DEFAULT-VALUE})")
    long idleMs;

    @Override
    public Integer call() throws IOException {
        java.util.Properties client = kafka.client();
        OutputFolder.prepare(out);
        Map<String, Long> counts = OutputDumper.dump(client, kafka.job().topics(), out, Duration.ofMillis(idleMs),
                kafka.job().outputFormat());
        System.out.println("dumped " + new TreeMap<>(counts) + " to " + out);
        return 0;
    }
}
