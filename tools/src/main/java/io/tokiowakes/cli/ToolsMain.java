package io.tokiowakes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar tokio-wakes-tools.jar <command>}: what is not the job itself. A local Kafka
 * broker, the demo (broker, job and a real trace) and the benchmark. The jar carries the job and
 * Kafka's broker jars, so it runs from any folder.
 */
@Command(name = "tokio-wakes-tools.jar", mixinStandardHelpOptions = true, version = "tokio-wakes 0.1.0",
        description = "Tools around the tokio-wakes job: a local Kafka broker, the demo, the benchmark.",
        subcommands = {LocalKafkaCommand.class, DemoCommand.class, BenchmarkCommand.class})
public final class ToolsMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Exits with the command's code (see {@link Main#execute(Object, String...)}). */
    public static void main(String[] args) {
        System.exit(Main.execute(new ToolsMain(), args));
    }
}
