package io.tokiowakes.security;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.cli.Main;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.resilience.ResilienceSupport;
import io.tokiowakes.resilience.ResilienceSupport.JobProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tokiowakes.kafka.KafkaTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job, replay and dump against a broker that wants SASL/PLAIN, by configuration alone (a
 * properties file given with {@code --config}); the password never shows in what the job prints.
 */
class SaslIT {

    private static final String USER = "tokio";
    private static final String SECRET = "s3cret";
    private static final String PREFIX = "sasl.";

    private static final int[] PORTS = LocalKafkaExtension.freePorts(3);
    private static final int PLAIN_PORT = PORTS[0];
    private static final int SASL_PORT = PORTS[1];
    private static final int CONTROLLER_PORT = PORTS[2];

    /** Its PLAINTEXT listener on {@link #PLAIN_PORT}, as named in {@link #saslBroker()}. */
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension(saslBroker(), PLAIN_PORT);

    /** Replaces LocalKafka's listeners: its PLAINTEXT one stays (readiness is checked there), SASL is added. */
    private static Map<String, String> saslBroker() {
        return Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + PLAIN_PORT + ",SASL_PLAINTEXT://127.0.0.1:" + SASL_PORT
                        + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT,
                "advertised.listeners", "PLAINTEXT://127.0.0.1:" + PLAIN_PORT + ",SASL_PLAINTEXT://127.0.0.1:" + SASL_PORT,
                "controller.quorum.bootstrap.servers", "127.0.0.1:" + CONTROLLER_PORT,
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + SECRET + "\";");
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void jobReplayAndDumpTalkSaslPlainByConfigurationAlone(@TempDir Path dir) throws Exception {
        String saslBootstrap = "127.0.0.1:" + SASL_PORT;
        Path config = dir.resolve("client.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + saslBootstrap,
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + USER + "\" password=\"" + SECRET + "\";",
                "topic.prefix=" + PREFIX,
                "state.dir=" + dir.resolve("state"),
                ""));
        Properties sasl = load(config);
        sasl.remove("topic.prefix");
        sasl.remove("state.dir");

        assertWrongPasswordIsRefused(saslBootstrap, sasl);

        Path trace = KafkaTestSupport.writeLines(dir.resolve("seed.jsonl"), KafkaTestSupport.fixture("seed-program"));
        // Kafka's own INFO logging prints every client config: the secret must be masked there too.
        try (JobProcess job = JobProcess.start("sasl-job", ResilienceSupport.logDir("SaslIT"),
                List.of("-Dlog4j2.configurationFile=" + kafkaInfoLogging(dir)),
                List.of("run", "--config", config.toString()))) {
            job.awaitStarted(Duration.ofSeconds(60));
            await("the job to own its partitions over SASL", Duration.ofSeconds(60),
                    () -> KafkaTestSupport.groupStable(sasl, PREFIX + "tokio-wakes", 1));

            assertEquals(0, Main.execute("replay", "--config", config.toString(), "--input", trace.toString()));
            Path out = dir.resolve("out");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                assertEquals(0, Main.execute("dump", "--config", config.toString(), "--out", out.toString(),
                        "--idle-ms", "2000"));
            } while (Files.readAllLines(out.resolve("wake-edges.jsonl")).size() < 4 && System.nanoTime() < deadline);
            assertEquals(List.of(), ExpectedWakes.fixtures("seed-program").differences(ExpectedWakes.fromOutputs(out)));

            assertTrue(job.isAlive(), job.output());
            String printed = job.output();
            assertTrue(printed.contains("security.protocol=SASL_PLAINTEXT"), "the job printed its settings:\n" + printed);
            assertTrue(printed.contains("sasl.jaas.config=[hidden]"), "the JAAS config is printed redacted:\n" + printed);
            assertFalse(printed.contains(SECRET), "the secret shows in the job's output: " + job);
        }
    }

    private static void assertWrongPasswordIsRefused(String bootstrap, Properties sasl) {
        Properties wrong = new Properties();
        wrong.putAll(sasl);
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + USER + "\" password=\"wrong\";");
        wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(wrong)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs(10_000)).clusterId().get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), "the SASL listener checks the password");
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    /** A logging setup for the job's JVM with Kafka's INFO lines, which print every client setting. */
    private static Path kafkaInfoLogging(Path dir) throws IOException {
        return Files.writeString(dir.resolve("log4j2-kafka-info.properties"), String.join("\n",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %p %c - %m%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.out.ref = OUT",
                ""));
    }
}
