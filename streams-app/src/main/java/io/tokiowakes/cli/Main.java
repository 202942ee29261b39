package io.tokiowakes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar streams-app.jar <command>}: the job and its tools. */
@Command(name = "streams-app.jar", mixinStandardHelpOptions = true, version = "tokio-wakes 0.1.0",
        description = "Who woke whom in Tokio runtimes: a Kafka Streams job over tracing records.",
        subcommands = {AnalyzeCommand.class, LocalKafkaCommand.class, RunCommand.class, ReplayCommand.class,
                DumpCommand.class, ShipCommand.class, DemoCommand.class, BenchmarkCommand.class})
public final class Main implements Runnable {

    /** Exit code of a usage error or of input that cannot be read. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
                    + " (see --help)");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return EXIT_USAGE;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
