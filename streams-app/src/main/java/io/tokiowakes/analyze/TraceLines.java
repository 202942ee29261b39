package io.tokiowakes.analyze;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A trace as trace record v1 values, each with the line of the input it came from. Values are
 * bytes, as on Kafka: a line that is not valid UTF-8 reaches the decoder as it is, and is
 * refused there like on the topic.
 */
@FunctionalInterface
public interface TraceLines {

    @FunctionalInterface
    interface Sink {
        void accept(long lineNo, byte[] value) throws IOException;
    }

    /** Hands every record to the sink, in input order. */
    void forEach(Sink sink) throws IOException;

    /** JSON lines from a stream; blank lines are skipped. */
    static TraceLines of(InputStream in) {
        return sink -> {
            byte[] chunk = new byte[1 << 16];
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            long lineNo = 0;
            int n;
            while ((n = in.read(chunk)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        line.write(chunk, start, i - start);
                        emit(sink, ++lineNo, line);
                        start = i + 1;
                    }
                }
                line.write(chunk, start, n - start);
            }
            if (line.size() > 0) {
                emit(sink, ++lineNo, line);
            }
        };
    }

    private static void emit(Sink sink, long lineNo, ByteArrayOutputStream line) throws IOException {
        byte[] value = line.toByteArray();
        line.reset();
        int end = value.length;
        if (end > 0 && value[end - 1] == '\r') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (!Character.isWhitespace(value[i])) {
                sink.accept(lineNo, end == value.length ? value : java.util.Arrays.copyOf(value, end));
                return;
            }
        }
    }
}
