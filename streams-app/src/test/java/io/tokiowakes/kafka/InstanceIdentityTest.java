package io.tokiowakes.kafka;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restarted instance needs to take over at once: the same group.instance.id and process id. */
class InstanceIdentityTest {

    private static Properties streams(Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokio-wakes");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    private static String processFile(Path stateDir) throws IOException {
        return Files.readString(stateDir.resolve("tokio-wakes").resolve(InstanceIdentity.PROCESS_FILE));
    }

    @Test
    void aRestartOnTheSameFolderIsTheSameInstance(@TempDir Path dir) throws IOException {
        Properties first = streams(dir.resolve("a"));
        try (InstanceIdentity id = InstanceIdentity.apply(first)) {
            assertFalse(id.previousRunCrashed(), "nothing ran here before");
        }
        Properties second = streams(dir.resolve("a"));
        try (InstanceIdentity id = InstanceIdentity.apply(second)) {
            assertFalse(id.previousRunCrashed(), "the first one stopped cleanly");
        }
        assertEquals(first.getProperty("group.instance.id"), second.getProperty("group.instance.id"));
        Properties other = streams(dir.resolve("b"));
        InstanceIdentity.apply(other).close();
        assertNotEquals(first.getProperty("group.instance.id"), other.getProperty("group.instance.id"),
                "two instances on one host have two state folders, and two ids");
    }

    /** A new host that is given the dead instance's id gets its process id, hence its transactional ids. */
    @Test
    void anEmptyFolderGetsTheProcessIdOfItsInstanceId(@TempDir Path dir) throws IOException {
        for (String folder : new String[]{"host-1", "host-2"}) {
            Properties p = streams(dir.resolve(folder));
            p.put("group.instance.id", "worker-3");
            InstanceIdentity.apply(p).close();
            assertEquals("worker-3", p.getProperty("group.instance.id"), "a given id is kept");
        }
        assertEquals(processFile(dir.resolve("host-1")), processFile(dir.resolve("host-2")));
        assertTrue(processFile(dir.resolve("host-1")).matches("\\{\"processId\":\"[0-9a-f-]{36}\"}"));

        Properties p = streams(dir.resolve("host-3"));
        p.put("group.instance.id", "worker-4");
        InstanceIdentity.apply(p).close();
        assertNotEquals(processFile(dir.resolve("host-1")), processFile(dir.resolve("host-3")));
    }

    @Test
    void aFolderKeepsTheProcessIdItHas(@TempDir Path dir) throws IOException {
        Path file = Files.createDirectories(dir.resolve("tokio-wakes")).resolve(InstanceIdentity.PROCESS_FILE);
        Files.writeString(file, "{\"processId\":\"0b0c9f5e-1d7e-4d51-9f3a-5b8f1a2c3d4e\"}");
        InstanceIdentity.apply(streams(dir)).close();
        assertEquals("{\"processId\":\"0b0c9f5e-1d7e-4d51-9f3a-5b8f1a2c3d4e\"}", Files.readString(file));
    }

    @Test
    void aSecondLiveInstanceOnTheSameFolderIsRefused(@TempDir Path dir) {
        try (InstanceIdentity id = InstanceIdentity.apply(streams(dir))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> InstanceIdentity.apply(streams(dir)));
            assertTrue(e.getMessage().startsWith("another instance of tokio-wakes runs on the state folder " + dir), e.getMessage());
        }
        InstanceIdentity.apply(streams(dir)).close();
    }

    @Test
    void anInstanceThatDiedIsNoticedByTheNextOne(@TempDir Path dir) throws IOException {
        try (InstanceIdentity first = InstanceIdentity.apply(streams(dir))) {
            assertTrue(Files.exists(dir.resolve("tokio-wakes" + InstanceIdentity.RUNNING_SUFFIX)), "marked running");
        }
        assertFalse(Files.exists(dir.resolve("tokio-wakes" + InstanceIdentity.RUNNING_SUFFIX)), "unmarked at a clean stop");
        // kill -9: the OS drops the lock with the process, the mark stays.
        Files.writeString(dir.resolve("tokio-wakes" + InstanceIdentity.RUNNING_SUFFIX), "4242");
        try (InstanceIdentity next = InstanceIdentity.apply(streams(dir))) {
            assertTrue(next.previousRunCrashed());
        }
        try (InstanceIdentity after = InstanceIdentity.apply(streams(dir))) {
            assertFalse(after.previousRunCrashed(), "the one before stopped cleanly");
        }
    }
}
