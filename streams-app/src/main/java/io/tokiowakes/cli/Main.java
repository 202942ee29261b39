package io.tokiowakes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar streams-app.jar <command>}: the job and the commands that feed and read it. The
 * tools that are not the job (a local broker, the demo, the benchmark) are in the tools jar.
 */
@Command(name = "streams-app.jar", mixinStandardHelpOptions = true, version = "tokio-wakes 0.1.0",
        description = "Who woke whom in Tokio runtimes: a Kafka Streams job over tracing records.",
        subcommands = {AnalyzeCommand.class, RunCommand.class, ReplayCommand.class, DumpCommand.class,
                ShipCommand.class})
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

    /**
     * Runs one command of this jar.
     *
     * @return the exit code: 0, {@link #EXIT_USAGE} for what the user can fix (printed as one line)
     */
    public static int execute(String... args) {
        return execute(new Main(), args);
    }

    /**
     * Runs one command of a picocli command tree, with the job's error handling: a bad flag or a
     * {@link UserError} is one line on stderr and {@link #EXIT_USAGE}; anything else propagates.
     *
     * @param command the top command (annotated with its subcommands)
     * @return the command's exit code
     */
    public static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
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
