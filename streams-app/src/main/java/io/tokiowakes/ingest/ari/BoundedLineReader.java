package io.tokiowakes.ingest.ari;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()}, but keeps at most {@code maxChars}
 * of each, so one enormous line (a binary file, say) cannot exhaust memory.
 */
final class BoundedLineReader {

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[8192];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int len;
    private long number;
    private boolean truncated;
    private boolean skipLf;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** @return the next line without its terminator, or null at the end of the input */
    String next() throws IOException {
        line.setLength(0);
        truncated = false;
        boolean any = false;
        while (true) {
            if (pos == len && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            char c = buf[pos++];
            if (skipLf) {
                skipLf = false;
                if (c == '\n') {
                    continue;
                }
            }
            any = true;
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                skipLf = true;
                break;
            }
            if (line.length() < maxChars) {
                line.append(c);
            } else {
                truncated = true;
            }
        }
        number++;
        return line.toString();
    }

    /** @return the 1-based number of the line last returned */
    long number() {
        return number;
    }

    /** @return whether the line last returned was cut at {@code maxChars} */
    boolean truncated() {
        return truncated;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }
}
