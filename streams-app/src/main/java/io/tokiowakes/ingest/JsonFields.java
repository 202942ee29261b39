package io.tokiowakes.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;

/** Reading the fields of trace record v1, with the contract's rules and a clear reason when broken. */
public final class JsonFields {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonFields() {
    }

    public static String requiredString(ObjectNode obj, String field) throws InvalidRecordException {
        String s = optionalString(obj, field);
        if (s == null) {
            throw new InvalidRecordException("missing " + field);
        }
        return s;
    }

    public static String optionalString(ObjectNode obj, String field) throws InvalidRecordException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidRecordException(field + " must be a string, got " + abbreviate(n.toString()));
        }
        return n.textValue();
    }

    /**
     * Span IDs are u64 and may exceed 2^63: they are kept in a long with the same 64 bits
     * (compare and print them as unsigned).
     */
    public static Long optionalU64(ObjectNode obj, String field) throws InvalidRecordException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw new InvalidRecordException(field + " must be an unsigned integer, got " + abbreviate(n.toString()));
        }
        if (n.canConvertToLong()) {
            long v = n.longValue();
            if (v < 0) {
                throw new InvalidRecordException(field + " must not be negative, got " + v);
            }
            return v;
        }
        BigInteger big = n.bigIntegerValue();
        if (big.signum() < 0 || big.compareTo(U64_MAX) > 0) {
            throw new InvalidRecordException(field + " is outside the u64 range: " + abbreviate(big.toString()));
        }
        return big.longValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
