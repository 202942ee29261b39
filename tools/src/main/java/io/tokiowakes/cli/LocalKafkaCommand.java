package io.tokiowakes.cli;

import io.tokiowakes.broker.LocalKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "local-kafka", mixinStandardHelpOptions = true,
        description = "Run a real single-node Apache Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C.")
public final class LocalKafkaCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "broker data (kept between runs)")
    Path dir;

    @Option(names = "--port", defaultValue = "9092", description = "client port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LocalKafka kafka;
        try {
            kafka = LocalKafka.start(dir, port, Map.of());
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stop.countDown();
        }, "local-kafka-stop"));
        System.out.println("Kafka broker ready: bootstrap server " + kafka.bootstrapServers() + " (data in " + dir + ")");
        System.out.println("Ctrl-C stops it.");
        stop.await();
        return 0;
    }
}
