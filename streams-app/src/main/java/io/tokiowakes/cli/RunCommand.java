package io.tokiowakes.cli;

import io.tokiowakes.kafka.ClientSettings;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.observe.ObserveServer;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the job on a Kafka cluster (exactly-once) until SIGTERM / Ctrl-C.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--application-id", description = "Kafka Streams application id (default: <topic prefix>tokio-wakes)")
    String applicationId;

    @Option(names = "--partitions", defaultValue = "4", description = "partitions of topics it creates (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--threads", description = "stream threads (default: one per input partition, at most two per core)")
    Integer threads;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port of /metrics, the REST API and the "
            + "wake-graph page; 0 = none (default 8080, skipped with a warning when taken)")
    Integer httpPort;

    @Override
    public Integer call() throws InterruptedException {
        JobSettings settings = kafka.job();
        Properties client = kafka.client();
        String prefix = kafka.all().getProperty("topic.prefix", "");
        client.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, applicationId != null ? applicationId : prefix + WakeJob.DEFAULT_APPLICATION_ID);
        if (applicationId != null) {
            client.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (threads != null) {
            client.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        }
        List<String> created = TopicSetup.ensure(client, settings.topics(), partitions, partitions);
        if (!created.isEmpty()) {
            System.out.println("created topics " + created);
        }
        ObserveServer http = httpServer();
        if (http != null) {
            http.configure(client);
        }
        System.out.println("settings " + ClientSettings.redacted(client));
        WakeJob built;
        try {
            built = new WakeJob(client, settings);
        } catch (IllegalStateException e) {
            if (http != null) {
                http.close();
            }
            throw new UserError(e.getMessage());
        }
        try (http; WakeJob job = built) {
            Runtime.getRuntime().addShutdownHook(new Thread(job::close, "tokio-wakes-stop"));
            if (http != null) {
                http.serve(job.streams(), job.metrics(), client, settings.graph());
                System.out.println("http://localhost:" + http.port() + "/ (wake graph), /metrics, /api/sources");
            }
            job.start();
            System.out.println("running: " + settings.topics().input() + " -> " + settings.topics().outputs());
            job.awaitStop();
        }
        return 0;
    }

    /** The HTTP server on its port; none for port 0, or when the default port is taken. */
    private ObserveServer httpServer() {
        int port = httpPort != null ? httpPort : ObserveServer.DEFAULT_PORT;
        if (port <= 0) {
            return null;
        }
        try {
            return ObserveServer.bind(port);
        } catch (IOException e) {
            if (httpPort != null) {
                throw new UserError("cannot serve HTTP on port " + port + ": " + e.getMessage());
            }
            System.err.println("warning: no HTTP server, port " + port + ": " + e.getMessage()
                    + " (choose one with --http-port)");
            return null;
        }
    }
}
