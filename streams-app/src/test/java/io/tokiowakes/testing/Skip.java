package io.tokiowakes.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Skipping a test for want of a tool (Chromium, cargo, promtool), saying so on the console: JUnit
 * keeps an assumption's reason in the report files only, and Maven prints the test's output.
 */
public final class Skip {

    private Skip() {
    }

    /**
     * Aborts the calling test, after printing {@code [skipped] <reason>} on stdout, unless the
     * condition holds.
     *
     * @param reason what is missing, and how to get it
     */
    public static void unless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("[skipped] " + reason);
            System.out.flush();
            Assumptions.abort(reason);
        }
    }

    /** The executable named {@code name} on the PATH (or at one of {@code candidates}), if there is one. */
    public static Optional<Path> tool(String name, Path... candidates) {
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return Optional.of(c);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
