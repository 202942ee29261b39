package io.tokiowakes.cli;

import io.tokiowakes.kafka.ClientSettings;
import io.tokiowakes.kafka.KafkaReachability;
import io.tokiowakes.topology.JobSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Options shared by the commands that talk to Kafka. One properties file holds both the job's
 * settings ({@code topic.*}, {@code reorder.*}, {@code input.*}, {@code output.*}, {@code lint.*},
 * {@code graph.*}, {@code state.stores}; an unknown one is refused) and Kafka client settings
 * (everything else, passed on as they are); environment variables {@code KAFKA_*} and flags
 * override it. Before a command's first Kafka client is made, the cluster must answer within
 * {@code --connect-timeout-ms}.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (or KAFKA_BOOTSTRAP_SERVERS, or bootstrap.servers in --config)")
    String bootstrapServer;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: job settings and any Kafka client setting")
    Path config;

    @Option(names = "--topic-prefix", paramLabel = "P", description = "prefix of every topic read and written")
    String topicPrefix;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE", description = "a Kafka client setting, e.g. -X security.protocol=SASL_SSL")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(names = "--connect-timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "give up when Kafka does not answer within this long (default ${DEFAULT-VALUE})")
    long connectTimeoutMs;

    private Properties merged;
    private boolean reached;

    Properties all() {
        if (merged == null) {
            Map<String, String> flags = new HashMap<>(kafka);
            flags.put("bootstrap.servers", bootstrapServer);
            flags.put("topic.prefix", topicPrefix);
            Properties all = ClientSettings.merge(ConfigFiles.load(config), System.getenv(), flags);
            if (all.getProperty("bootstrap.servers") == null) {
                throw new UserError("no Kafka to talk to: give --bootstrap-server (or KAFKA_BOOTSTRAP_SERVERS)");
            }
            try {
                JobSettings.check(all);
            } catch (IllegalArgumentException e) {
                throw new UserError((config != null ? config + ": " : "") + e.getMessage());
            }
            merged = all;
        }
        return merged;
    }

    /**
     * Kafka client settings (every key that is not the job's), once the cluster has answered.
     *
     * @throws UserError when Kafka cannot be reached within {@code --connect-timeout-ms}
     */
    Properties client() {
        Properties p = new Properties();
        all().forEach((k, v) -> {
            String key = (String) k;
            if (!JobSettings.isJobKey(key)) {
                p.put(k, v);
            }
        });
        if (!reached) {
            if (connectTimeoutMs <= 0) {
                throw new UserError("--connect-timeout-ms must be positive, not " + connectTimeoutMs);
            }
            try {
                KafkaReachability.check(p, Duration.ofMillis(connectTimeoutMs));
            } catch (KafkaReachability.Unreachable e) {
                throw new UserError(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while reaching Kafka");
            }
            reached = true;
        }
        return p;
    }

    JobSettings job() {
        try {
            return JobSettings.from(all());
        } catch (IllegalArgumentException e) {
            throw new UserError("bad job setting: " + e.getMessage());
        }
    }
}
