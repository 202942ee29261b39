package io.tokiowakes.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * Who this instance of the job is, so that a restarted one (after {@code kill -9}, on the same
 * host or a new one) takes over where the dead one stopped within seconds instead of after the
 * consumer group's session timeout (45 s).
 *
 * <ul>
 *   <li><b>Static membership</b>: the stream threads join the group with {@code group.instance.id}
 *       {@code <id>-<thread>}. A member that comes back under the same id replaces the dead one at
 *       once, with its partitions and no rebalance. The id defaults to the host name and the state
 *       folder ({@link #defaultInstanceId}); a replacement on another machine takes over as fast
 *       when given the dead one's id ({@code -X group.instance.id=...}).</li>
 *   <li><b>The same transactional IDs</b>: exactly-once producers are named
 *       {@code <application id>-<process id>-<thread>}, and Kafka Streams keeps the process id in
 *       the state folder. A restart on the same folder reuses it, and its first transaction
 *       aborts the dead one's open one at once. An empty state folder (a new host) would get a
 *       random process id, and the dead transaction would block readers until the broker times it
 *       out (10 s, plus up to the broker's 10 s check interval); so the process id file is
 *       written first, derived from the application and instance ids.</li>
 * </ul>
 *
 * Two live instances must not share an id: each holds a lock on its state folder (see
 * {@link #lock}), and a second instance on the same folder is refused. The lock's folder also
 * tells whether the last run on it stopped cleanly (see {@link #previousRunCrashed()}).
 */
public final class InstanceIdentity implements AutoCloseable {

    /** Kafka Streams' file for the process id, in {@code <state.dir>/<application.id>/}. */
    static final String PROCESS_FILE = "kafka-streams-process-metadata";
    private static final String LOCK_SUFFIX = ".instance.lock";
    /** Present while an instance runs on the folder; left behind by one that died. */
    static final String RUNNING_SUFFIX = ".running";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path running;
    private final boolean previousRunCrashed;

    private InstanceIdentity(FileChannel channel, FileLock lock, Path running) throws IOException {
        this.channel = channel;
        this.lock = lock;
        this.running = running;
        this.previousRunCrashed = Files.exists(running);
        Files.writeString(running, String.valueOf(ProcessHandle.current().pid()));
    }

    /**
     * Whether the last instance on this state folder died without stopping (kill -9, a crash,
     * the machine going down): its exactly-once state on disk has no checkpoint, and Kafka
     * Streams restores it from the changelogs.
     */
    public boolean previousRunCrashed() {
        return previousRunCrashed;
    }

    /**
     * Fills in {@code group.instance.id} (unless set) and the process id file of an empty state
     * folder, and locks the folder for this instance.
     *
     * @param streams the job's Kafka Streams settings ({@code application.id} set); changed in place
     * @return the lock, to be closed when the job has stopped
     * @throws IllegalStateException when another live instance holds the state folder
     * @throws UncheckedIOException  when the state folder cannot be written
     */
    public static InstanceIdentity apply(Properties streams) {
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Path stateDir = stateDir(streams);
        InstanceIdentity held = lock(stateDir, applicationId);
        try {
            String instanceId = streams.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            if (instanceId == null || instanceId.isBlank()) {
                instanceId = defaultInstanceId(stateDir);
                streams.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
            }
            seedProcessId(stateDir, applicationId, instanceId);
            return held;
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** {@code state.dir}, or Kafka Streams' default ({@code <java.io.tmpdir>/kafka-streams}). */
    static Path stateDir(Properties streams) {
        String dir = streams.getProperty(StreamsConfig.STATE_DIR_CONFIG);
        return (dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams"))
                .toAbsolutePath().normalize();
    }

    /**
     * The host name and a digest of the state folder's path: the same across restarts of one
     * instance, different for two instances on one host (which need two state folders anyway).
     */
    static String defaultInstanceId(Path stateDir) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return host + "-" + HexFormat.of().formatHex(sha256(stateDir.toString()), 0, 4);
    }

    /**
     * Writes the process id Kafka Streams will read (a name-based UUID of the application and
     * instance ids) into an empty state folder; a folder that has one keeps it.
     */
    static void seedProcessId(Path stateDir, String applicationId, String instanceId) {
        Path appDir = stateDir.resolve(applicationId);
        Path file = appDir.resolve(PROCESS_FILE);
        if (Files.exists(file)) {
            return;
        }
        UUID processId = UUID.nameUUIDFromBytes((applicationId + "\n" + instanceId).getBytes(StandardCharsets.UTF_8));
        try {
            Files.createDirectories(appDir);
            Path tmp = Files.createTempFile(appDir, ".process-", ".tmp");
            Files.writeString(tmp, "{\"processId\":\"" + processId + "\"}");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Locks {@code <state.dir>/<application.id>.instance.lock} for this process.
     *
     * @throws IllegalStateException when another live process (or this one) holds it
     */
    static InstanceIdentity lock(Path stateDir, String applicationId) {
        Path file = stateDir.resolve(applicationId + LOCK_SUFFIX);
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another instance of " + applicationId + " runs on the state folder "
                        + stateDir + "; give each instance its own (-X state.dir=" + File.separator + "...)");
            }
            return new InstanceIdentity(channel, lock, stateDir.resolve(applicationId + RUNNING_SUFFIX));
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the lock was not taken; nothing more to undo
                }
            }
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Releases the state folder (after a clean stop: the job has closed). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                Files.deleteIfExists(running);
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // The process ends soon after; the OS releases the lock then.
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
