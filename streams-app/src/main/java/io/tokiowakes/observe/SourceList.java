package io.tokiowakes.observe;

import io.tokiowakes.json.Json;

import java.io.IOException;
import java.util.List;

/** The body of {@code GET /api/sources}. */
public record SourceList(List<String> sources) {

    static List<String> read(byte[] body) {
        try {
            return Json.MAPPER.readValue(body, SourceList.class).sources();
        } catch (IOException e) {
            return List.of();
        }
    }
}
