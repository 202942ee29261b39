package io.tokiowakes.cli;

import io.tokiowakes.kafka.ClientSettings;
import io.tokiowakes.topology.JobSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Options shared by the commands that talk to Kafka. One properties file holds both the job's
 * settings ({@code topic.*}, {@code reorder.*}, {@code input.*}, {@code output.*}, {@code lint.*},
 * {@code state.stores}) and Kafka client
 * settings (everything else); environment variables {@code KAFKA_*} and flags override it.
 */
public final class KafkaOptions {

    private static final String[] JOB_PREFIXES = {"topic.", "reorder.", "input.", "output.", "lint."};

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (or KAFKA_BOOTSTRAP_SERVERS, or bootstrap.servers in --config)")
    String bootstrapServer;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: job settings and any Kafka client setting")
    Path config;

    @Option(names = "--topic-prefix", paramLabel = "P", description = "prefix of every topic read and written")
    String topicPrefix;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE", description = "a Kafka client setting, e.g. -X security.protocol=SASL_SSL")
    Map<String, String> kafka = new LinkedHashMap<>();

    private Properties merged;

    Properties all() {
        if (merged == null) {
            Map<String, String> flags = new HashMap<>(kafka);
            flags.put("bootstrap.servers", bootstrapServer);
            flags.put("topic.prefix", topicPrefix);
            merged = ClientSettings.merge(ConfigFiles.load(config), System.getenv(), flags);
            if (merged.getProperty("bootstrap.servers") == null) {
                throw new UserError("no Kafka to talk to: give --bootstrap-server (or KAFKA_BOOTSTRAP_SERVERS)");
            }
        }
        return merged;
    }

    /** Kafka client settings only. */
    Properties client() {
        Properties p = new Properties();
        all().forEach((k, v) -> {
            if (!isJobSetting((String) k)) {
                p.put(k, v);
            }
        });
        return p;
    }

    JobSettings job() {
        try {
            return JobSettings.from(all());
        } catch (IllegalArgumentException e) {
            throw new UserError("bad job setting: " + e.getMessage());
        }
    }

    private static boolean isJobSetting(String key) {
        if (key.equals("state.stores")) {
            return true;
        }
        for (String prefix : JOB_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
