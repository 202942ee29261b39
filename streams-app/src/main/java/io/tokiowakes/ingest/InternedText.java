package io.tokiowakes.ingest;

/**
 * One {@link String} for each short text the decoder meets again and again: sources, thread IDs
 * and names, span and event names, targets, waker ops. A repeat costs no new string, and its hash
 * code, computed once, serves every table that later looks it up (the task-span filter's spans,
 * the batch's string table, the wake stage's state). A trace has few such texts: a source has a
 * few dozen threads and names, so nearly every record's texts are repeats.
 * <p>
 * Bounded: a direct-mapped table of {@value #SLOTS} strings of at most {@value #MAX_LENGTH}
 * characters; a text that lands on a taken slot replaces it. Safe to share between threads: a
 * string is immutable, and a lost race only makes one string more.
 */
final class InternedText {

    static final int SLOTS = 4096;
    static final int MAX_LENGTH = 128;

    private final String[] slots = new String[SLOTS];

    /** The text of {@code length} characters at {@code offset}, as a string seen before when there is one. */
    String of(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String s = slots[slot];
        if (s != null && s.length() == length && equals(s, chars, offset)) {
            return s;
        }
        s = new String(chars, offset, length);
        slots[slot] = s;
        return s;
    }

    private static boolean equals(String s, char[] chars, int offset) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
