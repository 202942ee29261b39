package io.tokiowakes.model;

import io.tokiowakes.ingest.TraceDecoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys of sources whose names extend one another ({@code svc}, {@code svc/host1/4242}, ...) never
 * mix: each key belongs to one source, a source's key range yields exactly its keys once
 * filtered, and u64 span IDs above 2^63 come back exactly.
 */
class SourceKeysTest {

    /** Names that are prefixes of each other, with '/', digits, '0' (the range end) and "thread". */
    private static final String[] SOURCES = {"svc", "svc/host1/4242", "svc/1", "svc/", "svc0", "svc/thread",
            "svc//2", "a", "a/b", "a/b/c", "sv", "svc-a/host1/4242", "svc/host1"};

    private static final long[] SPAN_IDS = {1, 8, 4242, 2251799813685257L, Long.MAX_VALUE, Long.MIN_VALUE,
            -1L /* 2^64 - 1 */, 0x8000_0000_0000_0001L};

    private static final String[] THREADS = {"ThreadId(1)", "ThreadId(22)", "", "1", "a/b", "%2F", "thread/7", "4242"};

    private record Owned(String key, String source, Long spanId) {
    }

    private static List<Owned> allKeys(Random random, int extra) {
        List<Owned> out = new ArrayList<>();
        List<String> sources = new ArrayList<>(List.of(SOURCES));
        for (int i = 0; i < extra; i++) {
            sources.add(randomName(random));
        }
        for (String s : sources) {
            for (long id : SPAN_IDS) {
                out.add(new Owned(SourceKeys.span(s, id), s, id));
            }
            out.add(new Owned(SourceKeys.span(s, random.nextLong()), s, null));
            for (String t : THREADS) {
                out.add(new Owned(SourceKeys.thread(s, t), s, null));
            }
            out.add(new Owned(SourceKeys.thread(s, randomName(random)), s, null));
        }
        return out;
    }

    private static String randomName(Random random) {
        String alphabet = "s/0129%-_.tx";
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void everyKeyBelongsToItsOwnSourceOnly() {
        for (int seed = 1; seed <= 20; seed++) {
            List<Owned> keys = allKeys(new Random(seed), 10);
            TreeSet<String> sources = new TreeSet<>();
            keys.forEach(k -> sources.add(k.source()));
            for (Owned k : keys) {
                assertEquals(k.source(), SourceKeys.sourceOf(k.key()), k.key());
                for (String s : sources) {
                    assertEquals(s.equals(k.source()), SourceKeys.belongsTo(k.key(), s), k.key() + " vs source " + s);
                }
            }
        }
    }

    @Test
    void aSourcesRangeHoldsAllItsKeysAndFilteredOnlyThem() {
        for (int seed = 1; seed <= 20; seed++) {
            List<Owned> keys = allKeys(new Random(seed), 10);
            TreeSet<String> sorted = new TreeSet<>();
            keys.forEach(k -> sorted.add(k.key()));
            Map<String, TreeSet<String>> expected = new HashMap<>();
            keys.forEach(k -> expected.computeIfAbsent(k.source(), s -> new TreeSet<>()).add(k.key()));
            for (Map.Entry<String, TreeSet<String>> e : expected.entrySet()) {
                String source = e.getKey();
                TreeSet<String> found = new TreeSet<>();
                for (String key : sorted.subSet(SourceKeys.rangeFrom(source), SourceKeys.rangeTo(source))) {
                    if (SourceKeys.belongsTo(key, source)) {
                        found.add(key);
                    }
                }
                assertEquals(e.getValue(), found, "source " + source);
            }
        }
    }

    @Test
    void distinctSourcesAndIdsGiveDistinctKeys() {
        List<Owned> keys = allKeys(new Random(7), 30);
        Map<String, Owned> seen = new HashMap<>();
        for (Owned k : keys) {
            Owned before = seen.putIfAbsent(k.key(), k);
            if (before != null) {
                // The same key twice must be the same thing twice (a repeated random pick).
                assertEquals(before.source(), k.source(), k.key());
            }
        }
    }

    @Test
    void spanIdsAboveTwoToTheSixtyThirdStayExact() {
        for (long id : SPAN_IDS) {
            for (String source : SOURCES) {
                String key = SourceKeys.span(source, id);
                assertFalse(key.substring(source.length()).contains("-"), key);
                assertEquals(id, SourceKeys.spanIdOf(key, source), key);
            }
        }
        assertEquals("svc/18446744073709551615", SourceKeys.span("svc", -1L));
        assertEquals("svc/9223372036854775809", SourceKeys.span("svc", 0x8000_0000_0000_0001L));
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long id = random.nextLong();
            assertEquals(id, SourceKeys.spanIdOf(SourceKeys.span("svc/host1/4242", id), "svc/host1/4242"));
        }
    }

    @Test
    void aThreadKeyIsNoSpanKeyOfAnotherSource() {
        // Thread "4242" of source "svc/host1" and span 4242 of source "svc/host1" are different stores;
        // what matters is that no key of "svc/host1" reads as one of "svc".
        String key = SourceKeys.thread("svc/host1", "4242");
        assertNull(SourceKeys.spanIdOf(key, "svc"));
        assertTrue(SourceKeys.belongsTo(SourceKeys.thread("svc", "a/b"), "svc"));
        assertFalse(SourceKeys.belongsTo(SourceKeys.thread("svc", "a/b"), "svc/a"));
    }

    @Test
    void contractKeysUseTheUnsignedSpanId() throws Exception {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        TraceRecord r = decoder.decode(("{\"type\":\"span_enter\",\"source\":\"svc\",\"ts_nanos\":1,"
                + "\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"\",\"span_id\":18446744073709551615}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("svc/18446744073709551615", r.contractKey());
    }
}
