package io.tokiowakes.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokiowakes.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP answer: status, content type and body. */
public record Reply(int status, String contentType, byte[] body) {

    public static final String JSON = "application/json";

    public static Reply json(int status, Object value) {
        try {
            return new Reply(status, JSON, Json.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    public static Reply ok(Object value) {
        return json(200, value);
    }

    /** An error with a JSON body {@code {"error": "...", "status": n}}. */
    public static Reply error(int status, String message) {
        return json(status, Map.of("error", message, "status", status));
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
