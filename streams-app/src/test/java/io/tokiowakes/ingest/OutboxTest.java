package io.tokiowakes.ingest;

import io.tokiowakes.model.Table;
import io.tokiowakes.model.TraceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The outbox's table holds, after each {@link Outbox#persist()} (the job's commits), exactly the
 * records appended and not yet sent, and an outbox restarted on that table sends exactly them:
 * what a crash finds is what was pending at the last commit. Random appends, persists, sends and
 * restarts.
 */
class OutboxTest {

    private static final String[] SOURCES = {"svc-a", "svc-b", "svc-c"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theTableHoldsWhatWasPendingAtTheLastPersist(long seed) throws Exception {
        Random random = new Random(seed);
        Table<byte[]> table = Table.inMemory();
        Outbox outbox = new Outbox(table, 0);
        Map<String, List<Long>> pending = new HashMap<>();
        Map<String, List<Long>> atLastPersist = new HashMap<>();
        long span = 0;
        for (int step = 0; step < 2_000; step++) {
            int op = random.nextInt(100);
            String source = SOURCES[random.nextInt(SOURCES.length)];
            if (op < 70) {
                span++;
                pending.computeIfAbsent(source, s -> new ArrayList<>()).add(span);
                if (outbox.append(source, held(source, span))) {
                    assertEquals(pending.remove(source), spans(outbox.take(source, span)));
                    atLastPersist.remove(source);
                }
            } else if (op < 85) {
                outbox.persist();
                atLastPersist = copy(pending);
                assertEquals(atLastPersist, content(table));
            } else if (op < 92) {
                List<Map.Entry<String, byte[]>> sent = outbox.drain(span);
                assertEquals(pending.size(), sent.size());
                for (Map.Entry<String, byte[]> e : sent) {
                    assertEquals(pending.get(e.getKey()), spans(e.getValue()));
                }
                pending.clear();
                atLastPersist.clear();
                assertEquals(Map.of(), content(table));
            } else {
                // A crash: what was appended since the last persist was never committed (it is read again).
                outbox = new Outbox(table, 0);
                pending = copy(atLastPersist);
            }
        }
    }

    private static Map<String, List<Long>> copy(Map<String, List<Long>> m) {
        Map<String, List<Long>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
        return c;
    }

    private static Map<String, List<Long>> content(Table<byte[]> table) {
        Map<String, List<Long>> c = new HashMap<>();
        table.forEach((source, bytes) -> c.put(source, spans(bytes)));
        return c;
    }

    private static List<Long> spans(byte[] batch) {
        return BatchCodec.decode(batch).records().stream().map(h -> h.record().spanId()).toList();
    }

    private static Held held(String source, long span) throws InvalidRecordException {
        String line = "{\"type\":\"span_enter\",\"source\":\"" + source + "\",\"seq\":" + span + ",\"ts_nanos\":" + span
                + ",\"thread.id\":\"ThreadId(1)\",\"span_id\":" + span + "}";
        TraceRecord r = new TraceDecoder(1 << 20).decode(line.getBytes(StandardCharsets.UTF_8));
        return new Held(r, span);
    }
}
