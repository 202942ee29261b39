package io.tokiowakes.topology;

import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders in which Kafka may deliver a trace: the order of one key (one partition) holds,
 * the order between keys does not.
 */
final class Interleavings {

    private Interleavings() {
    }

    /** Each key's records together, keys in reverse order of first appearance. */
    static List<String> keysReversed(List<String> records) {
        List<List<String>> groups = new ArrayList<>(byKey(records).values());
        java.util.Collections.reverse(groups);
        List<String> out = new ArrayList<>();
        groups.forEach(out::addAll);
        return out;
    }

    static Map<String, List<String>> byKey(List<String> records) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String r : records) {
            String key;
            try {
                key = decoder.decode(r.getBytes(StandardCharsets.UTF_8)).contractKey();
            } catch (InvalidRecordException e) {
                key = "";
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return groups;
    }
}
