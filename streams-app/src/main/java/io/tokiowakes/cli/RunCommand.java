package io.tokiowakes.cli;

import io.tokiowakes.kafka.ClientSettings;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--threads", description = "stream threads (default 1)")
    Integer threads;

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
        System.out.println("settings " + ClientSettings.redacted(client));
        try (WakeJob job = new WakeJob(client, settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(job::close, "tokio-wakes-stop"));
            job.start();
            System.out.println("running: " + settings.topics().input() + " -> " + settings.topics().outputs());
            job.awaitStop();
        }
        return 0;
    }
}
