package io.tokiowakes.observe;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress report of a long command (records, rate, percent of the input) redrawn on
 * stderr at most every 250 ms. Silent unless a terminal is attached: piped output stays clean.
 */
public final class Progress implements AutoCloseable {

    private static final long EVERY_NANOS = 250_000_000L;

    private final String label;
    private final long totalBytes;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long startNanos;
    private long records;
    private long bytes;
    private long shownNanos;
    private boolean shown;

    Progress(String label, long totalBytes, PrintStream out, LongSupplier clock) {
        this.label = label;
        this.totalBytes = totalBytes;
        this.out = out;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.shownNanos = startNanos;
    }

    /**
     * @param totalBytes size of the input, for the percent; 0 or less when unknown
     */
    public static Progress onTerminal(String label, long totalBytes) {
        return new Progress(label, totalBytes, System.console() != null ? System.err : null, System::nanoTime);
    }

    /** One record done, that took {@code size} bytes of the input (its line and newline). */
    public void record(long size) {
        records++;
        bytes += size;
        if (out != null && (records & 255) == 0) {
            long now = clock.getAsLong();
            if (now - shownNanos >= EVERY_NANOS) {
                shownNanos = now;
                show(now, false);
            }
        }
    }

    public long records() {
        return records;
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        StringBuilder s = new StringBuilder(label).append(": ")
                .append(String.format(Locale.ROOT, "%,d records, %,.0f/s", records, records / seconds));
        if (totalBytes > 0 && bytes <= totalBytes) {
            s.append(String.format(Locale.ROOT, ", %d%%", Math.min(100, bytes * 100 / totalBytes)));
        }
        return s.toString();
    }

    private void show(long now, boolean last) {
        out.print("\r" + line(now) + "\u001b[K" + (last ? "\n" : ""));
        out.flush();
        shown = true;
    }

    /** Draws the final line (when anything was drawn) and ends it. */
    @Override
    public void close() {
        if (out != null && shown) {
            show(clock.getAsLong(), true);
        }
    }
}
