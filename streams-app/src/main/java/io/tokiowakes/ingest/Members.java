package io.tokiowakes.ingest;

/**
 * The members of one record that the decoder looks at, however they were read: from a parsed
 * tree (which also says why a member has the wrong type) or in one streaming pass.
 */
interface Members {

    /** A top-level string member; null when absent or null. */
    String string(String name) throws InvalidRecordException;

    /** A top-level u64 member (kept in a long's 64 bits); null when absent or null. */
    Long u64(String name) throws InvalidRecordException;

    /** Whether {@code fields} is there and not null. */
    boolean hasFields();

    /** Whether {@code fields} is an object. */
    boolean fieldsIsObject();

    /** A string member of {@code fields}; null when absent or null. */
    String fieldString(String name) throws InvalidRecordException;

    /** A u64 member of {@code fields}; null when absent or null. */
    Long fieldU64(String name) throws InvalidRecordException;

    /** A member of {@code fields} as text whatever its type, {@code "?"} when absent or null. */
    String fieldText(String name);

    /**
     * A member of {@code fields} that the contract does not type (resource fields), as text
     * whatever its type; null when absent or null.
     */
    String fieldLenient(String name);
}
