package io.tokiowakes.avro;

import io.tokiowakes.ingest.InvalidRecordException;

/** The header of Avro single-object encoding: {@code C3 01}, then the 8-byte little-endian fingerprint. */
final class SingleObject {

    static final int HEADER_BYTES = 10;

    private SingleObject() {
    }

    static void checkHeader(byte[] value) throws InvalidRecordException {
        if (value.length < HEADER_BYTES) {
            throw new InvalidRecordException("not Avro single-object encoding: " + value.length
                    + " bytes, shorter than its 10-byte header");
        }
        if ((value[0] & 0xff) != 0xC3 || value[1] != 0x01) {
            throw new InvalidRecordException(String.format(
                    "not Avro single-object encoding: starts with %02X %02X, not the marker C3 01",
                    value[0] & 0xff, value[1] & 0xff));
        }
    }

    static long fingerprint(byte[] value) {
        long fp = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fp = (fp << 8) | (value[i] & 0xff);
        }
        return fp;
    }

    static String fingerprintHex(byte[] value) {
        return String.format("%016X", fingerprint(value));
    }
}
