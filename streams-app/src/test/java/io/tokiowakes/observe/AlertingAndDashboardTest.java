package io.tokiowakes.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.testing.Skip;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.TopologyHarness;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerting rules and the Grafana dashboard in infra/ read only metrics the job exports: its
 * /metrics is scraped after the mixed fixture (and one late record) went through the topology,
 * with Kafka Streams' metrics from a (not started) KafkaStreams instance of the same topology.
 * A second source restarts once (seq over again, later in trace time).
 */
class AlertingAndDashboardTest {

    private static final Path INFRA = Path.of(System.getProperty("user.dir")).resolve("../infra").normalize();
    /** Series Prometheus makes itself. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static String scrape;
    private static Set<String> exported;

    @BeforeAll
    static void scrapeTheJob() throws IOException {
        try (ObserveHarness h = new ObserveHarness().fixture("mixed-w2")) {
            // A record from before what was already applied: counted late.
            h.pipe("tracegen-mixed/thread/ThreadId(1)", ("{\"type\":\"event\",\"source\":\"tracegen-mixed\",\"seq\":3,"
                    + "\"name\":\"event\",\"target\":\"tokio::task::waker\",\"ts_nanos\":1795682303700770264,"
                    + "\"thread.id\":\"ThreadId(1)\",\"fields\":{\"op\":\"waker.clone\",\"task.id\":8}}")
                    .getBytes(StandardCharsets.UTF_8));
            h.advance(TopologyHarness.FLUSH);
            // The process of another source restarted: its seq starts over, later in trace time.
            for (String seqAndTime : List.of("5,1795682303700000000", "1,1795682363700000000")) {
                String[] st = seqAndTime.split(",");
                h.pipe("restarting/thread/ThreadId(1)", ("{\"type\":\"event\",\"source\":\"restarting\",\"seq\":" + st[0]
                        + ",\"name\":\"event\",\"target\":\"tokio::task::waker\",\"ts_nanos\":" + st[1]
                        + ",\"thread.id\":\"ThreadId(1)\",\"fields\":{\"op\":\"waker.clone\",\"task.id\":8}}")
                        .getBytes(StandardCharsets.UTF_8));
                h.advance(TopologyHarness.FLUSH);
            }
            h.pipe(null, "not json".getBytes(StandardCharsets.UTF_8));
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "metric-names");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("metric-names").toString());
            KafkaStreams streams = new KafkaStreams(WakeTopology.build(JobSettings.defaults(), new JobMetrics()), p);
            try (MetricsEndpoint m = new MetricsEndpoint(h.metrics, streams, h::stores, System::currentTimeMillis)) {
                scrape = m.scrape();
            } finally {
                streams.close();
            }
        }
        exported = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> exported.add(l.replaceAll("[{ ].*", "")));
    }

    @Test
    void theJobExportsItsOwnMetrics() {
        for (String line : List.of(
                "tokio_wakes_records_in_total{type=\"span_new\"} 91.0",
                "tokio_wakes_edges_total{kind=\"EXTERNAL\",source=\"tracegen-mixed\"} 5.0",
                "tokio_wakes_anomalies_total{source=\"tracegen-mixed\",type=\"LOST_WAKER\"} 1.0",
                "tokio_wakes_dead_letters_total 1.0",
                "tokio_wakes_late_records_total{source=\"tracegen-mixed\"} 1.0",
                "tokio_wakes_source_restarts_total{source=\"restarting\"} 1.0",
                "tokio_wakes_task_summaries_total 15.0",
                "tokio_wakes_live_tasks{source=\"tracegen-mixed\"} 0.0")) {
            assertTrue(scrape.contains(line), line + " in\n" + scrape);
        }
        assertTrue(exported.contains("tokio_wakes_ordering_buffer_records"));
        assertTrue(exported.contains("tokio_wakes_ordering_buffer_wait_seconds"));
        assertTrue(exported.contains("kafka_consumer_fetch_manager_records_lag_max"), "Kafka Streams' metrics");
    }

    @Test
    void alertingRulesReadExportedMetrics() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> files;
        try (var s = Files.list(INFRA.resolve("alerting"))) {
            files = s.filter(f -> f.toString().endsWith(".yml")).toList();
        }
        assertFalse(files.isEmpty(), "rule files in " + INFRA.resolve("alerting"));
        int rules = 0;
        for (Path f : files) {
            JsonNode root = yaml.readTree(f.toFile());
            for (JsonNode group : root.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.path("alert").asText();
                    assertFalse(name.isEmpty(), "every rule is an alert in " + f);
                    assertTrue(rule.path("expr").isTextual(), name + " has an expr");
                    assertTrue(rule.path("labels").has("severity"), name + " has a severity");
                    assertExported(name, rule.path("expr").asText());
                    rules++;
                }
            }
        }
        assertTrue(rules >= 5, "anomalies, dead letters, lag, waiting records, ...: " + rules);
        String prometheus = Files.readString(INFRA.resolve("prometheus/prometheus.yml"));
        JsonNode config = yaml.readTree(prometheus);
        assertEquals("/metrics", config.path("scrape_configs").get(0).path("metrics_path").asText());
    }

    @Test
    void dashboardReadsExportedMetrics() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(INFRA.resolve("grafana/dashboards/tokio-wakes.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            assertTrue(panel.path("targets").size() > 0, panel.path("title").asText() + " has queries");
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        assertTrue(exprs.size() >= 10);
        for (String e : exprs) {
            assertExported("dashboard", e);
        }
        Pattern labelValues = Pattern.compile("label_values\\((\\w+)");
        for (JsonNode v : dash.path("templating").path("list")) {
            Matcher m = labelValues.matcher(v.path("query").asText());
            assertTrue(m.find(), "variable " + v.path("name"));
            assertTrue(exported.contains(m.group(1)), m.group(1));
        }
    }

    /** Every job setting the rules name (in comments or messages) is one the job has. */
    @Test
    void theRulesNameOnlySettingsTheJobHas() throws IOException {
        String rules = Files.readString(INFRA.resolve("alerting/tokio-wakes-rules.yml"));
        Matcher m = Pattern.compile("\\b(?:topic|reorder|input|output|lint|graph)\\.[a-z][a-z.-]*[a-z]").matcher(rules);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            named.add(m.group());
        }
        assertFalse(named.isEmpty(), "the rules tell which setting to change");
        for (String setting : named) {
            assertTrue(JobSettings.knownKeys().contains(setting), setting + " is no setting of the job ("
                    + JobSettings.knownKeys() + ")");
        }
    }

    /**
     * promtool (Debian's prometheus package) checks the rules and the Prometheus config, and runs
     * the rules' unit tests (infra/alerting/tests): each condition raises one alert, its own.
     */
    @Test
    void promtoolChecksTheRulesTheirTestsAndThePrometheusConfig() throws Exception {
        java.util.Optional<Path> promtool = Skip.tool("promtool", Path.of("/usr/bin/promtool"));
        Skip.unless(promtool.isPresent(), "AlertingAndDashboardTest: promtool is missing: the rule checks are skipped "
                + "(apt-get install -y prometheus)");
        for (List<String> args : List.of(
                List.of("check", "rules", INFRA.resolve("alerting/tokio-wakes-rules.yml").toString()),
                List.of("check", "config", INFRA.resolve("prometheus/prometheus.yml").toString()),
                List.of("test", "rules", INFRA.resolve("alerting/tests/rules-test.yml").toString()))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(promtool.get().toString());
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "promtool " + args + " finished");
            assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
            assertTrue(out.contains("SUCCESS"), out);
        }
    }

    private static void assertExported(String where, String expr) {
        Set<String> names = PromQlNames.of(expr);
        assertFalse(names.isEmpty(), where + ": no metric in " + expr);
        for (String n : names) {
            assertTrue(exported.contains(n) || PROMETHEUS_OWN.contains(n),
                    where + ": " + n + " is not exported by the job (" + expr + ")");
        }
    }

    @Test
    void promQlNamesFindsMetricsOnly() {
        assertEquals(Set.of("tokio_wakes_anomalies_total"),
                PromQlNames.of("sum by (source, type) (increase(tokio_wakes_anomalies_total{type=\"X\"}[10m])) > 0"));
        assertEquals(Set.of("up", "kafka_stream_alive_stream_threads"),
                new java.util.HashSet<>(PromQlNames.of("up{job=\"tokio-wakes\"} == 0 or absent(kafka_stream_alive_stream_threads)")));
        assertEquals(Set.of("a_total"), PromQlNames.of("rate(a_total{source=~\"$source\"}[$__rate_interval])"));
    }
}
