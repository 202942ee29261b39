package io.tokiowakes.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.json.Json;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.testing.Skip;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the job on a real broker, each with its HTTP server: the mixed fixture goes
 * through, both answer for the source (one of them by forwarding to the other), and the page,
 * loaded in a headless Chromium, draws the two anomalous tasks (both closed by then) as such,
 * the resource a wakee waited on on its arrow, and the wake-to-poll delays on hover.
 */
class WakeGraphPageIT {

    private static final String SOURCE = "tracegen-mixed";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static final List<ObserveServer> SERVERS = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        JobSettings settings = KafkaTestSupport.pipeline("page");
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        List<WakeJob> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Properties p = KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state-" + i));
            ObserveServer http = ObserveServer.bind(0);
            OPEN.add(http);
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + http.port());
            http.configure(p);
            WakeJob job = new WakeJob(p, settings);
            OPEN.add(job);
            http.serve(job.streams(), job.metrics(), p, settings.graph());
            SERVERS.add(http);
            jobs.add(job.start());
        }
        for (WakeJob job : jobs) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(90)), "job running");
        }
        try (TraceReplayer replayer = new TraceReplayer(client, settings.topics().input(), 0)) {
            KafkaTestSupport.interleaved(KafkaTestSupport.fixture("mixed-w2"), 4).forEach(replayer::send);
            replayer.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = OPEN.size() - 1; i >= 0; i--) {
            OPEN.get(i).close();
        }
    }

    @Test
    void bothInstancesShowTheGraphAndThePageMarksAnomalousTasks(@TempDir Path dir) throws Exception {
        for (ObserveServer s : SERVERS) {
            JsonNode graph = awaitAnomalous(s.port());
            assertEquals(9, graph.path("edges").size(), graph.toString());
            HttpResponse<String> task = get(s.port(), "/api/sources/" + SOURCE + "/tasks/20");
            assertEquals(200, task.statusCode());
            assertEquals("LOST_WAKER", Json.MAPPER.readTree(task.body()).path("anomalies").get(0).path("type").asText());
            HttpResponse<String> unknown = get(s.port(), "/api/sources/no-such-source/tasks");
            assertEquals(404, unknown.statusCode());
            assertTrue(Json.MAPPER.readTree(unknown.body()).has("error"));
            assertEquals(List.of(SOURCE), List.of(Json.MAPPER.readTree(get(s.port(), "/api/sources").body())
                    .path("sources").get(0).asText()));
        }

        String metrics = get(SERVERS.get(0).port(), "/metrics").body();
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max"), "Kafka Streams' metrics");
        assertTrue(metrics.contains("tokio_wakes_records_in_total"), "the job's metrics");

        Skip.unless(Files.isExecutable(CHROMIUM),
                "WakeGraphPageIT: /usr/bin/chromium is missing: the browser check is skipped (apt-get install -y chromium)");
        String dom = dumpDom(dir, "http://127.0.0.1:" + SERVERS.get(0).port() + "/?source=" + SOURCE);
        for (String task : List.of("ext-only-consumer", "lost-waker")) {
            assertTrue(Pattern.compile("<g class=\"node anomalous[^\"]*\" data-task=\"" + task + "\"").matcher(dom).find(),
                    task + " drawn as anomalous in:\n" + dom);
        }
        assertTrue(Pattern.compile("<g class=\"node[^\"]*\" data-task=\"pinger\"").matcher(dom).find(), "pinger drawn");
        assertTrue(!Pattern.compile("<g class=\"node anomalous[^\"]*\" data-task=\"pinger\"").matcher(dom).find(),
                "pinger is fine");
        assertTrue(dom.contains("data-kind=\"EXTERNAL\""), "an EXTERNAL arrow");

        // Every arrow has its count written on it, the API's count.
        JsonNode graph = Json.MAPPER.readTree(get(SERVERS.get(0).port(), "/api/sources/" + SOURCE + "/graph").body());
        for (JsonNode e : graph.path("edges")) {
            String label = "<text[^>]*class=\"edge-count kind-" + e.path("kind").asText() + "\"[^>]*data-from=\""
                    + Pattern.quote(e.path("from").asText()) + "\" data-to=\"" + Pattern.quote(e.path("to").asText())
                    + "\"[^>]*>" + e.path("count").asLong() + "</text>";
            assertTrue(Pattern.compile(label).matcher(dom).find(), "count on the arrow " + e + " in:\n" + dom);
        }
        // What the wakee waited on is written under the count, the wake-to-poll delays are on hover.
        int withResource = 0;
        int withDelays = 0;
        for (JsonNode e : graph.path("edges")) {
            String arrow = "data-from=\"" + Pattern.quote(e.path("from").asText()) + "\" data-to=\""
                    + Pattern.quote(e.path("to").asText()) + "\" data-kind=\"" + e.path("kind").asText() + "\"";
            if (e.path("waits_on").size() > 0) {
                withResource++;
                String label = "<text[^>]*class=\"edge-resource\" " + arrow + "[^>]*>\\["
                        + Pattern.quote(e.path("waits_on").get(0).path("resource").asText()) + "\\]";
                assertTrue(Pattern.compile(label).matcher(dom).find(), "the resource on the arrow " + e + " in:\n" + dom);
            }
            if (e.has("delays")) {
                withDelays++;
                JsonNode d = e.path("delays");
                String path = "<path[^>]*" + arrow + "[^>]*data-p50-nanos=\"" + d.path("p50_nanos").asLong()
                        + "\" data-p99-nanos=\"" + d.path("p99_nanos").asLong() + "\" data-max-nanos=\""
                        + d.path("max_nanos").asLong() + "\"[^>]*><title>[^<]*wake to poll: p50 [^<]*\\(" + d.path("count").asLong()
                        + " polls\\)";
                assertTrue(Pattern.compile(path).matcher(dom).find(), "the delays on hover of " + e + " in:\n" + dom);
            }
        }
        assertEquals(1, withResource, "only ticker waits on a resource span in this trace");
        assertTrue(withDelays >= 8, withDelays + " arrows with delays");
        assertTrue(dom.contains("data-to=\"ticker\" data-kind=\"RUNTIME\">[timer Sleep tokio-1.24.2/src/time/interval.rs:135:52]"),
                "(runtime) -[timer Sleep ...]-> ticker in:\n" + dom);
        // A multi-thread worker's own span wakes as the runtime, never as a blocking closure.
        assertTrue(dom.contains("data-from=\"(runtime)\" data-to=\"dispatcher\" data-kind=\"RUNTIME\""), dom);
        assertTrue(!dom.contains("data-from=\"(blocking)\""), "no arrow from (blocking) in this trace:\n" + dom);
        // The header counts the tasks the table lists.
        int rows = 0;
        for (var m = Pattern.compile("<tr[ >]").matcher(dom.substring(dom.indexOf("<tbody"))); m.find(); ) {
            rows++;
        }
        JsonNode tasks = Json.MAPPER.readTree(get(SERVERS.get(0).port(), "/api/sources/" + SOURCE + "/tasks").body());
        assertEquals(tasks.path("tasks").size(), rows, "a row per task");
        var header = Pattern.compile("(\\d+) tasks \\((\\d+) live, (\\d+) closed\\) in (\\d+) nodes · (\\d+) arrows, (\\d+) wakes")
                .matcher(dom);
        assertTrue(header.find(), "the header's counts in:\n" + dom);
        assertEquals(rows, Integer.parseInt(header.group(1)), "the header counts the table's tasks");
        assertEquals(graph.path("nodes").size(), Integer.parseInt(header.group(4)));
        assertEquals(graph.path("edges").size(), Integer.parseInt(header.group(5)));
        long wakes = 0;
        for (JsonNode e : graph.path("edges")) {
            wakes += e.path("count").asLong();
        }
        assertEquals(45, wakes, "every wake of the fixture once");
        assertEquals(wakes, Long.parseLong(header.group(6)));
        System.out.println("page header: " + header.group());
    }

    private static JsonNode awaitAnomalous(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(port, "/api/sources/" + SOURCE + "/graph");
            if (r.statusCode() == 200) {
                last = Json.MAPPER.readTree(r.body());
                long anomalous = 0;
                for (JsonNode n : last.path("nodes")) {
                    if (n.path("anomalous").asBoolean()) {
                        anomalous++;
                    }
                }
                if (anomalous >= 2 && last.path("edges").size() >= 9) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no graph with both anomalies on port " + port + ": " + last);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String dumpDom(Path dir, String url) throws Exception {
        Path out = dir.resolve("dom.html");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=10000", "--dump-dom", url)
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + Files.readString(dir.resolve("chromium.log")));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(dom.contains("data-loaded=\"true\""), "the page loaded the graph:\n" + dom
                + "\nchromium: " + Files.readString(dir.resolve("chromium.log")));
        return dom;
    }
}
