package io.tokiowakes.ingest;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The job's binary state formats: big-endian numbers, strings as a 4-byte length (-1: null) and
 * UTF-8, optional numbers behind a presence byte (the layout {@code DataOutputStream} writes).
 * Written and read straight in a byte array: state values are written on every batch, and a
 * stream with a lock per call costs more than the values.
 */
public final class BinaryFields {

    private BinaryFields() {
    }

    /** A value being written. */
    public static final class Out {
        private byte[] buf = new byte[256];
        private int pos;

        public void writeByte(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        public void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        public void writeInt(int v) {
            ensure(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        public void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
        }

        /** A string, or null (length -1). */
        public void writeString(String s) {
            if (s == null) {
                writeInt(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        public void writeOptionalLong(Long v) {
            writeBoolean(v != null);
            if (v != null) {
                writeLong(v);
            }
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(2 * buf.length, pos + more));
            }
        }
    }

    /** A value being read; reading past its end throws {@link EOFException}. */
    public static final class In {
        private final byte[] buf;
        private int pos;

        public In(byte[] buf) {
            this.buf = buf;
        }

        public int available() {
            return buf.length - pos;
        }

        public byte readByte() throws EOFException {
            need(1);
            return buf[pos++];
        }

        public int readUnsignedByte() throws EOFException {
            return readByte() & 0xFF;
        }

        public boolean readBoolean() throws EOFException {
            return readByte() != 0;
        }

        public int readInt() throws EOFException {
            need(4);
            int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        public long readLong() throws EOFException {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (buf[pos++] & 0xFF);
            }
            return v;
        }

        public String readString() throws EOFException {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            need(n);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public Long readOptionalLong() throws EOFException {
            return readBoolean() ? readLong() : null;
        }

        private void need(int n) throws EOFException {
            if (n < 0 || pos + n > buf.length) {
                throw new EOFException("value ends after " + pos + " of " + buf.length + " bytes");
            }
        }
    }
}
