package io.tokiowakes.ingest.ari;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects line errors. Input that is wrong throughout would otherwise grow the list without
 * bound, so past a limit errors are only counted, and one closing entry says how many.
 */
final class ErrorLog {

    static final int MAX_LISTED = 1000;
    private static final int MAX_TEXT = 200;

    private final List<AriLineError> listed = new ArrayList<>();
    private long unlisted;
    private long firstUnlistedLine;

    void add(long line, String reason, String text) {
        if (listed.size() < MAX_LISTED) {
            listed.add(new AriLineError(line, reason, shorten(text)));
        } else if (unlisted++ == 0) {
            firstUnlistedLine = line;
        }
    }

    List<AriLineError> all() {
        if (unlisted == 0) {
            return listed;
        }
        List<AriLineError> all = new ArrayList<>(listed);
        all.add(new AriLineError(firstUnlistedLine,
                unlisted + " more malformed lines from here on are not listed", ""));
        return all;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
