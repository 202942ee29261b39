package io.tokiowakes.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a jar as users do ({@code java -jar ...}) from a folder of the test's choosing, with an
 * empty cache of its own: the job's jar (OperatorCliIT) and the tools jar (ToolsCliIT).
 */
public final class JarRuns {

    /** A warning or error logged, a stack trace, or SLF4J's complaints: none in a healthy run. */
    public static final Pattern NOISE = Pattern.compile("( WARN | ERROR |Exception|^\\s+at |^SLF4J)", Pattern.MULTILINE);

    private JarRuns() {
    }

    /** A finished {@code java -jar} run: exit code, stdout, stderr and how long it took. */
    public record Run(int exit, String out, String err, Duration took) {
        /** @return stderr's non-blank lines */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * Starts {@code jar} in {@code cwd} with its own cache folder ({@code dir/cache}); stdout and
     * stderr go to {@code dir/<name>.out} and {@code dir/<name>.err}; stdin is closed.
     */
    public static Process start(Path jar, Path dir, String name, Path cwd, List<String> args) throws IOException {
        Files.createDirectories(cwd);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove(io.tokiowakes.broker.BrokerJars.LIB_DIR_ENV);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits for a started run; fails the test when it still runs after {@code timeout}. */
    public static Run finish(Path dir, String name, Process p, long startNanos, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(name + " still running after " + timeout.toSeconds() + " s:\n" + Files.readString(dir.resolve(name + ".err")));
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
