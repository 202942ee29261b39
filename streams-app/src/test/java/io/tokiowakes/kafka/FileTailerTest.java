package io.tokiowakes.kafka;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class FileTailerTest {

    private static void append(Path p, String s) throws Exception {
        Files.writeString(p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Repeated: the rotation races the follower's look at the path, and each ordering must hold. */
    @RepeatedTest(25)
    void followsAGrowingFileAcrossRotationAndWaitsForWholeLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("wakes.jsonl");
        append(log, "a\nb\npart");
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = follow(log, seen, 6);
        waitFor(() -> seen.size() == 2);
        assertEquals(List.of("a", "b"), seen, "an unfinished line is not read");
        append(log, "ial\nc\n");
        waitFor(() -> seen.size() == 4);
        // Rotation as the collector does it: the file moves to .1, a new one starts.
        append(log, "d-before-rotation\n");
        Files.move(log, dir.resolve("wakes.jsonl.1"));
        append(log, "e-after-rotation\n");
        follower.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(List.of("a", "b", "partial", "c", "d-before-rotation", "e-after-rotation"), seen);
    }

    @Test
    void truncatedFileIsReadAgainFromTheStart(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("t.jsonl");
        append(log, "one\ntwo\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = follow(log, seen, 3);
        waitFor(() -> seen.size() == 2);
        Files.writeString(log, "x\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        follower.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(List.of("one", "two", "x"), seen);
    }

    /** Follows {@code log} on a thread of its own, adding each line to {@code seen}, until it holds {@code lines}. */
    private static Thread follow(Path log, List<String> seen, int lines) {
        Thread follower = new Thread(() -> {
            try {
                new FileTailer(log, 10).follow(l -> seen.add(new String(l, StandardCharsets.UTF_8)),
                        () -> seen.size() >= lines);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        follower.setDaemon(true);
        follower.start();
        return follower;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("the tailer did not read the lines within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
