package io.tokiowakes.cli;

import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.kafka.TraceReplayer;
import io.tokiowakes.observe.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publish a captured trace to the input topic with the contract's keys.")
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TraceInputOptions input;

    @Option(names = "--topic", description = "topic to write (default: the job's input topic)")
    String topic;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "N", description = "records per second; 0 = as fast as possible")
    long rate;

    @Override
    public Integer call() throws IOException {
        String target = topic != null ? topic : kafka.job().topics().input();
        long sent;
        TraceLines lines = input.lines();
        try (TraceReplayer replayer = new TraceReplayer(kafka.client(), target, rate, kafka.job().inputFormat());
             Progress progress = Progress.onTerminal("replay", Files.size(input.input))) {
            lines.forEach((lineNo, value) -> {
                replayer.send(value);
                progress.record(value.length + 1);
            });
            replayer.flush();
            sent = replayer.sent();
        }
        System.out.println("replayed " + sent + " records to " + target);
        return 0;
    }
}
