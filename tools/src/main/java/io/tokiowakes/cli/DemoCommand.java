package io.tokiowakes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.OutputDumper;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local Kafka broker and the job, replay the seed post's program trace, print who woke whom, stop.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "working folder (default: a temporary one)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tokio-wakes-demo");
        System.out.println("starting a local Kafka broker in " + work.resolve("kafka") + " ...");
        try (LocalKafka kafka = startKafka(work.resolve("kafka"))) {
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            JobSettings settings = JobSettings.defaults();
            TopicSetup.ensure(client, settings.topics(), 4, 4);

            Properties streams = new Properties();
            streams.putAll(client);
            streams.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            System.out.println("broker " + kafka.bootstrapServers() + "; starting the job ...");
            try (WakeJob job = new WakeJob(streams, settings).start()) {
                if (!job.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the job did not start: " + job.streams().state());
                }
                long sent;
                try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), 0);
                     InputStream trace = DemoCommand.class.getResourceAsStream("/demo/seed-program.jsonl")) {
                    TraceLines.of(trace).forEach((lineNo, value) -> replayer.send(value));
                    replayer.flush();
                    sent = replayer.sent();
                }
                System.out.println("replayed " + sent + " records of the seed post's program; waiting for the results ...");
                Path out = work.resolve("out");
                OutputDumper.dump(client, settings.topics(), out, Duration.ofSeconds(4));
                print(out);
            }
        }
        return 0;
    }

    private static LocalKafka startKafka(Path dir) throws IOException {
        try {
            return LocalKafka.start(dir, 0, Map.of());
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void print(Path out) throws IOException {
        List<String> edges = Files.readAllLines(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE));
        System.out.println();
        System.out.println("wake edges (" + edges.size() + "):");
        for (String line : edges) {
            JsonNode e = Json.MAPPER.readTree(line);
            System.out.printf("  %-8s %-18s %-30s -> %s%n", e.path("kind").asText(), e.path("op").asText(),
                    describe(e.path("waker"), e.path("thread")), describe(e.path("wakee"), null));
        }
        List<String> anomalies = Files.readAllLines(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE));
        System.out.println("anomalies (" + anomalies.size() + "):");
        for (String line : anomalies) {
            JsonNode a = Json.MAPPER.readTree(line);
            System.out.printf("  %-22s %s: %s%n", a.path("type").asText(), describe(a.path("task"), null), a.path("detail").asText());
        }
        System.out.println("outputs in " + out);
    }

    /** A task with Tokio's task ID (as tokio-console shows it) beside its span ID; a wake without one by its thread. */
    private static String describe(JsonNode task, JsonNode thread) {
        if (task.isNull() || task.isMissingNode()) {
            String name = thread == null ? "" : thread.path("name").asText();
            return "(thread " + (name.isEmpty() ? thread.path("id").asText() : name) + ")";
        }
        String name = task.path("name").asText("");
        String label = name.isEmpty() ? "(" + task.path("kind").asText("?") + ")" : name;
        JsonNode taskId = task.path("task_id");
        return label + " (" + (taskId.isNumber() ? "task " + taskId.asText() + ", " : "") + "span "
                + task.path("span_id").asText() + ")";
    }
}
