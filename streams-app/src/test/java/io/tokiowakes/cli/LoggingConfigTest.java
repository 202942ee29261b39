package io.tokiowakes.cli;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
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

    /**
     * Each {logger, message} logged at WARN through a logger context of the job's configuration,
     * its console appender swapped for one that writes here (the console's stream is shared by
     * every logger context of the JVM).
     */
    private static List<String> logThroughJobConfig(String[]... lines) throws IOException {
        StringWriter captured = new StringWriter();
        LoggerContext context = new LoggerContext("job-config-check");
        try (InputStream in = LoggingConfigTest.class.getResourceAsStream("/log4j2.properties")) {
            assertNotNull(in, "log4j2.properties of the job on the classpath");
            Configuration config = new PropertiesConfigurationFactory().getConfiguration(context, new ConfigurationSource(in));
            config.initialize();
            Appender console = config.getAppender("STDERR");
            assertNotNull(console, "the job logs to the console appender STDERR");
            Appender capture = WriterAppender.newBuilder().setName("capture").setTarget(captured)
                    .setLayout(console.getLayout()).build();
            capture.start();
            config.addAppender(capture);
            LoggerConfig root = config.getRootLogger();
            root.removeAppender("STDERR");
            root.addAppender(capture, null, null);
            context.start(config);
            for (String[] line : lines) {
                context.getLogger(line[0]).warn(line[1]);
            }
        } finally {
            context.stop();
        }
        return captured.toString().lines().filter(l -> !l.isBlank()).toList();
    }
}
