package io.tokiowakes.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows a growing JSON-lines file, as {@code tail -F} does: complete lines only (a line
 * being written is waited for), and across rotation — when the path is renamed away and a
 * new file takes its place, the old file is read to its end before the new one is opened;
 * when the file is truncated, it is read again from the start.
 */
public final class FileTailer {

    private final Path path;
    private final long pollMs;

    public FileTailer(Path path, long pollMs) {
        this.path = path;
        this.pollMs = pollMs;
    }

    /**
     * Reads lines until {@code stop} says so (checked whenever nothing new is there).
     *
     * @return lines read
     */
    public long follow(Consumer<byte[]> lines, BooleanSupplier stop) throws IOException, InterruptedException {
        long count = 0;
        FileChannel channel = null;
        Object fileKey = null;
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try {
            while (true) {
                if (channel == null) {
                    try {
                        channel = FileChannel.open(path, StandardOpenOption.READ);
                        fileKey = key(path);
                    } catch (NoSuchFileException e) {
                        if (stop.getAsBoolean()) {
                            return count;
                        }
                        Thread.sleep(pollMs);
                        continue;
                    }
                }
                count += drain(channel, buf, partial, lines);
                // At the end of what is there. Truncated in place: read it again from the start.
                // The open file's own size is asked, not the path's: the path may already name
                // a new file that is not yet written.
                if (channel.size() < channel.position()) {
                    channel.position(0);
                    partial.reset();
                    continue;
                }
                // Rotated: a new file took the path. What the writer appended to the old file
                // between the read above and its move is read before the old file is left.
                Object current = keyOrNull(path);
                if (current != null && !current.equals(fileKey)) {
                    count += drain(channel, buf, partial, lines);
                    channel.close();
                    channel = null;
                    partial.reset();
                    continue;
                }
                if (stop.getAsBoolean()) {
                    return count;
                }
                Thread.sleep(pollMs);
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Reads the file from its position to its end; returns the lines read. */
    private static long drain(FileChannel channel, ByteBuffer buf, ByteArrayOutputStream partial,
            Consumer<byte[]> lines) throws IOException {
        long count = 0;
        buf.clear();
        for (int n = channel.read(buf); n > 0; buf.clear(), n = channel.read(buf)) {
            count += split(buf.array(), n, partial, lines);
        }
        return count;
    }

    private static long split(byte[] bytes, int n, ByteArrayOutputStream partial, Consumer<byte[]> lines) {
        long count = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i - start);
                byte[] line = partial.toByteArray();
                partial.reset();
                if (!isBlank(line)) {
                    lines.accept(line);
                    count++;
                }
                start = i + 1;
            }
        }
        partial.write(bytes, start, n - start);
        return count;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private static Object key(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        // fileKey (device + inode) tells a new file at the same path; creation time where there is none.
        return a.fileKey() != null ? a.fileKey() : a.creationTime();
    }

    private static Object keyOrNull(Path p) {
        try {
            return key(p);
        } catch (IOException e) {
            return null;
        }
    }
}
