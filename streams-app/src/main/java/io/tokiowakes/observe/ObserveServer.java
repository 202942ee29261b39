package io.tokiowakes.observe;

import io.tokiowakes.graph.GraphSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tokiowakes.engine.JobMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The job's HTTP server (the JDK's): {@code /metrics}, {@code /api/...}, {@code /health} and the
 * wake-graph page at {@code /}. It binds its port first, so that the job can be told its address
 * ({@code application.server}) before it starts, then serves the job.
 */
public final class ObserveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

    public static final int DEFAULT_PORT = 8080;

    private final HttpServer server;
    private final ExecutorService threads;
    private volatile Served served;

    private record Served(KafkaStreams streams, MetricsEndpoint metrics, Api api) {
    }

    private ObserveServer(HttpServer server) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tokio-wakes-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Listens on {@code port} (0: any free port); until {@link #serve} every request gets 503. */
    public static ObserveServer bind(int port) throws IOException {
        return new ObserveServer(HttpServer.create(new InetSocketAddress(port), 64));
    }

    /**
     * Names this server to the job's other instances for forwarded queries, unless the user set
     * {@code application.server}.
     */
    public void configure(Properties config) {
        if (config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG) == null) {
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, hostName() + ":" + port());
        }
    }

    /**
     * Serves a job. {@code application.server} in its config names this server to the other
     * instances; without it the job is taken to be alone.
     *
     * @param graph the job's {@code graph.*} settings (how long closed tasks are listed)
     */
    public ObserveServer serve(KafkaStreams streams, JobMetrics jobMetrics, Properties config, GraphSettings graph) {
        OwnerLookup owners = new OwnerLookup(streams, OwnerLookup.parse(config.get(StreamsConfig.APPLICATION_SERVER_CONFIG)));
        Api api = new Api(owners, p -> StoreAccess.of(streams, p), StoreAccess.of(streams, null), new Forwarder(), graph);
        MetricsEndpoint metrics = new MetricsEndpoint(jobMetrics, streams, () -> StoreAccess.of(streams, null),
                System::currentTimeMillis);
        served = new Served(streams, metrics, api);
        LOG.info("HTTP on port {}: /metrics, /api/sources, / (wake graph)", port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Reply r;
            try {
                r = route(x);
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", x.getRequestMethod(), x.getRequestURI(), e);
                r = Reply.error(500, e.toString());
            }
            x.getResponseHeaders().set("Content-Type", r.contentType());
            x.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(x.getRequestMethod());
            x.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
            if (!head) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    private Reply route(HttpExchange x) {
        String method = x.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return Reply.error(405, "only GET");
        }
        String path = x.getRequestURI().getRawPath();
        Served s = served;
        if (s == null && (path.equals("/metrics") || path.equals("/health") || path.startsWith("/api/"))) {
            return Reply.error(503, "the job is starting");
        }
        if (path.equals("/metrics")) {
            return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", s.metrics().scrape());
        }
        if (path.equals("/health")) {
            KafkaStreams.State state = s.streams().state();
            return Reply.json(state.isRunningOrRebalancing() ? 200 : 503, Map.of("state", state.name()));
        }
        if (path.startsWith("/api/")) {
            String query = x.getRequestURI().getRawQuery();
            return s.api().get(path, query == null ? path : path + "?" + query,
                    x.getRequestHeaders().containsKey(Forwarder.HEADER));
        }
        Reply file = WebAssets.get(path);
        return file != null ? file : Reply.error(404, "no such resource: " + path);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        Served s = served;
        if (s != null) {
            s.metrics().close();
        }
    }
}
