package io.tokiowakes.observe;

import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks the instance that holds a source, over the same HTTP API. */
public final class Forwarder {

    /** Marks a forwarded request: the receiver answers from its own stores and never forwards again. */
    public static final String HEADER = "X-Tokio-Wakes-Forwarded";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param pathAndQuery raw (still encoded) path and query of the request */
    public Reply get(HostInfo host, String pathAndQuery) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header(HEADER, "1").GET().build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(Reply.JSON), r.body());
        } catch (IOException e) {
            return Reply.error(502, "the instance holding it, " + host.host() + ":" + host.port()
                    + ", did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "interrupted");
        }
    }
}
