package io.tokiowakes.kafka;

import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/** Helpers for tests against the real broker. */
public final class KafkaTestSupport {

    private KafkaTestSupport() {
    }

    public static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /**
     * How far apart in append time the tests' replays may put records of one source out of seq
     * order: they interleave keys at random over the whole replay (a few seconds on a loaded
     * machine), far more than a collector does.
     */
    public static final Duration REPLAY_DISORDER = Duration.ofSeconds(3);

    /** A fresh pipeline on the shared broker: its own topic prefix, an ordering window for the replays' disorder. */
    public static JobSettings pipeline(String name) {
        return JobSettings.defaults().withTopics(Topics.withPrefix(name + "-" + UUID.randomUUID().toString().substring(0, 8) + "."))
                .withReorderWindow(REPLAY_DISORDER);
    }

    public static Properties streamsConfig(String bootstrap, JobSettings settings, Path stateDir) {
        Properties p = client(bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.topics().input().replace('.', '-') + "-job");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    public static List<byte[]> fixture(String name) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = KafkaTestSupport.class.getResourceAsStream("/fixtures/" + name + ".jsonl")) {
            TraceLines.of(in).forEach((n, v) -> out.add(v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The records in an order Kafka could deliver them from many partitions: each key's records
     * keep their order, records of different keys are interleaved at random.
     */
    public static List<byte[]> interleaved(List<byte[]> records, long seed) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
        for (byte[] r : records) {
            String key;
            try {
                key = decoder.decode(r).contractKey();
            } catch (InvalidRecordException e) {
                key = "";
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<List<byte[]>> queues = new ArrayList<>(byKey.values());
        int[] next = new int[queues.size()];
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(records.size());
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            open.add(i);
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int q = open.get(pick);
            out.add(queues.get(q).get(next[q]++));
            if (next[q] == queues.get(q).size()) {
                open.remove(pick);
            }
        }
        return out;
    }

    public static Path writeLines(Path file, List<byte[]> records) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (byte[] r : records) {
                out.write(r);
                out.write('\n');
            }
        }
        return file;
    }
}
