package io.tokiowakes.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write-behind table reads as a table written through would, and after each {@link
 * WriteBehindTable#write()} (a commit) holds exactly what that table holds. Random puts and
 * deletes, over reused keys and over keys never reused.
 */
class WriteBehindTableTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void afterEachWriteTheTableHoldsWhatAWrittenThroughTableHolds(long seed) {
        Random random = new Random(seed);
        Table<String> through = Table.inMemory();
        Table<String> behind = Table.inMemory();
        WriteBehindTable<String> table = new WriteBehindTable<>(behind, false);
        for (int step = 0; step < 5_000; step++) {
            String key = "k" + random.nextInt(40);
            int op = random.nextInt(10);
            if (op < 5) {
                String value = "v" + step;
                through.put(key, value);
                table.put(key, value);
            } else if (op < 9) {
                through.delete(key);
                table.delete(key);
            } else {
                table.write();
                assertEquals(content(through), content(behind));
            }
            assertEquals(through.get(key), table.get(key), "read of " + key + " at step " + step);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aNewKeyPutAndDeletedBetweenTwoWritesNeverReachesTheTable(long seed) {
        Random random = new Random(seed);
        Table<String> through = Table.inMemory();
        List<String> written = new ArrayList<>();
        Table<String> behind = recording(Table.inMemory(), written);
        WriteBehindTable<String> table = new WriteBehindTable<>(behind, true);
        List<String> live = new ArrayList<>();
        Map<String, Integer> putIn = new TreeMap<>();
        List<String> shortLived = new ArrayList<>();
        int interval = 0;
        for (int step = 0; step < 5_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                String key = "k#" + step;
                live.add(key);
                putIn.put(key, interval);
                through.put(key, "v");
                table.put(key, "v");
            } else if (op < 9 && !live.isEmpty()) {
                String key = live.remove(random.nextInt(live.size()));
                if (putIn.get(key) == interval) {
                    shortLived.add(key);
                }
                through.delete(key);
                table.delete(key);
            } else {
                table.write();
                interval++;
                assertEquals(content(through), content(behind));
            }
        }
        table.write();
        assertEquals(content(through), content(behind));
        assertTrue(shortLived.size() > 30, shortLived.size() + " keys put and deleted between two writes");
        for (String key : shortLived) {
            assertTrue(!written.contains(key), key + " was put and deleted between two writes, and written");
        }
        Map<String, Integer> writes = new TreeMap<>();
        written.forEach(k -> writes.merge(k, 1, Integer::sum));
        assertTrue(writes.values().stream().allMatch(n -> n <= 2), "a key written more than put once and deleted once");
    }

    private static Table<String> recording(Table<String> table, List<String> written) {
        return new Table<>() {
            @Override
            public String get(String key) {
                return table.get(key);
            }

            @Override
            public void put(String key, String value) {
                written.add(key);
                table.put(key, value);
            }

            @Override
            public void delete(String key) {
                written.add(key);
                table.delete(key);
            }

            @Override
            public void forEach(BiConsumer<String, String> action) {
                table.forEach(action);
            }

            @Override
            public List<String> keys(String from, String to) {
                return table.keys(from, to);
            }
        };
    }

    private static Map<String, String> content(Table<String> table) {
        Map<String, String> m = new TreeMap<>();
        table.forEach(m::put);
        return m;
    }
}
