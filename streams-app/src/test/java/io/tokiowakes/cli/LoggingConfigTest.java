package io.tokiowakes.cli;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The job's logging setup (src/main/resources/log4j2.properties, what the jar uses) drops only
 * what Kafka's clients report during normal exactly-once work and retry themselves; every other
 * warning of the same loggers still shows.
 */
class LoggingConfigTest {

    private static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
    private static final String NETWORK = "org.apache.kafka.clients.NetworkClient";
    private static final String TXN_PRODUCER = "[Producer clientId=tokio-wakes-1b2c-StreamThread-4-producer, "
            + "transactionalId=tokio-wakes-1b2c-4] ";

    @Test
    void transactionRetriesAndTheNewRepartitionTopicAreQuietOtherWarningsShow() throws IOException {
        List<String> shown = logThroughJobConfig(
                new String[]{SENDER, TXN_PRODUCER + "Got error produce response with correlation id 27 on topic-partition "
                        + "tokio-wakes-by-source-repartition-0, retrying (2147483646 attempts left). Error: CONCURRENT_TRANSACTIONS"},
                new String[]{SENDER, TXN_PRODUCER + "Got error produce response with correlation id 31 on topic-partition "
                        + "tokio-wakes-by-source-repartition-3, retrying (2147483646 attempts left). Error: OUT_OF_ORDER_SEQUENCE_NUMBER"},
                new String[]{SENDER, TXN_PRODUCER + "Got error produce response with correlation id 40 on topic-partition "
                        + "tokio.wake-edges-1, retrying (2147483646 attempts left). Error: NOT_ENOUGH_REPLICAS"},
                new String[]{NETWORK, "[Consumer clientId=tokio-wakes-1b2c-StreamThread-2-consumer, groupId=tokio-wakes] The "
                        + "metadata response from the cluster reported a recoverable issue with correlation id 40 : "
                        + "{tokio-wakes-by-source-repartition=UNKNOWN_TOPIC_OR_PARTITION}"},
                new String[]{NETWORK, "[Consumer clientId=tokio-wakes-1b2c-StreamThread-2-consumer, groupId=tokio-wakes] The "
                        + "metadata response from the cluster reported a recoverable issue with correlation id 41 : "
                        + "{tokio.trace=UNKNOWN_TOPIC_OR_PARTITION}"},
                new String[]{NETWORK, "[Producer clientId=producer-1] Connection to node -1 (/127.0.0.1:1) could not be "
                        + "established. Node may not be available."});
        assertEquals(3, shown.size(), String.join("\n", shown));
        assertEquals(List.of("NOT_ENOUGH_REPLICAS", "{tokio.trace=UNKNOWN_TOPIC_OR_PARTITION}", "available."),
                shown.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());
    }

    /** Each {logger, message} logged at WARN through a logger context of the job's configuration. */
    private static List<String> logThroughJobConfig(String[]... lines) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        LoggerContext context = new LoggerContext("job-config-check");
        // The console appender takes System.err as it is when the configuration starts.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (InputStream in = LoggingConfigTest.class.getResourceAsStream("/log4j2.properties")) {
            assertNotNull(in, "log4j2.properties of the job on the classpath");
            context.start(new PropertiesConfigurationFactory().getConfiguration(context, new ConfigurationSource(in)));
            for (String[] line : lines) {
                context.getLogger(line[0]).warn(line[1]);
            }
        } finally {
            context.stop();
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
