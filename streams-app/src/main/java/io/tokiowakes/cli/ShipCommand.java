package io.tokiowakes.cli;

import io.tokiowakes.kafka.FileTailer;
import io.tokiowakes.kafka.TraceReplayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Publish a JSON-lines trace file (e.g. the collector's output) to the input topic; with --follow, keep tailing it.")
public final class ShipCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--input", required = true, paramLabel = "FILE")
    Path input;

    @Option(names = "--follow", description = "keep reading as the file grows and rotates, until SIGTERM / Ctrl-C")
    boolean follow;

    @Option(names = "--idle-exit-ms", paramLabel = "MS",
            description = "with --follow: stop once the file has not grown for this long (counted from the first line)")
    Long idleExitMs;

    @Option(names = "--topic", description = "topic to write (default: the job's input topic)")
    String topic;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!follow && !Files.isRegularFile(input)) {
            throw new UserError(Files.exists(input) ? "not a file: " + input : "no such file: " + input);
        }
        String target = topic != null ? topic : kafka.job().topics().input();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ship-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long shipped;
        try (TraceReplayer replayer = new TraceReplayer(kafka.client(), target, 0, kafka.job().inputFormat())) {
            AtomicLong lastLine = new AtomicLong(-1);
            shipped = new FileTailer(input, 100).follow(line -> {
                replayer.send(line);
                lastLine.set(System.nanoTime());
            }, () -> {
                replayer.flush();
                return !follow || stopping.get()
                        || (idleExitMs != null && lastLine.get() > 0
                        && System.nanoTime() - lastLine.get() > idleExitMs * 1_000_000);
            });
            replayer.flush();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is waiting for this thread to finish.
            }
        }
        System.out.println("shipped " + shipped + " records from " + input + " to " + target);
        return 0;
    }
}
