package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A trace re-sent the way a collector with per-thread buffers sends it: each thread's records
 * stay in their order, and a thread's buffer of up to {@code max} records is flushed whole, in
 * random thread order (now and then a random other thread's buffer too). The contract allows
 * this order; results must not depend on it.
 */
public final class PerThreadBuffers {

    private PerThreadBuffers() {
    }

    /** The records re-ordered; the same seed gives the same order. */
    public static List<byte[]> resend(List<byte[]> records, long seed, int max) {
        Random random = new Random(seed);
        Map<String, List<byte[]>> buffers = new LinkedHashMap<>();
        List<byte[]> out = new ArrayList<>(records.size());
        for (byte[] r : records) {
            String thread = thread(r);
            List<byte[]> buffer = buffers.computeIfAbsent(thread, t -> new ArrayList<>());
            buffer.add(r);
            if (buffer.size() >= 1 + random.nextInt(max)) {
                out.addAll(buffer);
                buffer.clear();
            }
            if (random.nextDouble() < 0.05) {
                List<List<byte[]>> all = new ArrayList<>(buffers.values());
                List<byte[]> other = all.get(random.nextInt(all.size()));
                out.addAll(other);
                other.clear();
            }
        }
        List<List<byte[]>> rest = new ArrayList<>(buffers.values());
        java.util.Collections.shuffle(rest, random);
        rest.forEach(out::addAll);
        return out;
    }

    /** The records with {@code suffix} after their source's name: a copy that can run beside the original. */
    public static List<byte[]> renameSources(List<byte[]> records, String suffix) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (byte[] r : records) {
            try {
                out.add(Json.MAPPER.writeValueAsBytes(renameSource(parse(r), suffix)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static JsonNode renameSource(JsonNode node, String suffix) {
        if (suffix.isEmpty() || !node.has("source")) {
            return node;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        copy.put("source", node.path("source").asText() + suffix);
        return copy;
    }

    /** How many records come after one of their source with a higher {@code seq}. */
    public static int outOfOrder(List<byte[]> records) {
        Map<String, Long> highest = new LinkedHashMap<>();
        int n = 0;
        for (byte[] r : records) {
            JsonNode node = parse(r);
            long seq = node.path("seq").asLong();
            Long before = highest.merge(node.path("source").asText(), seq, Math::max);
            if (before > seq) {
                n++;
            }
        }
        return n;
    }

    private static String thread(byte[] r) {
        JsonNode node = parse(r);
        return node.path("source").asText() + "|" + node.path("thread.id").asText();
    }

    private static JsonNode parse(byte[] r) {
        try {
            return Json.MAPPER.readTree(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
