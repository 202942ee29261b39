package io.tokiowakes.observe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed REST path. Source names may hold '/' (e.g. {@code svc-a/host1/4242}): clients encode
 * it as {@code %2F} in the path, so the path is split before it is decoded.
 */
public record ApiPath(Route route, String source, String task) {

    public enum Route { SOURCES, TASKS, TASK, GRAPH }

    /** @return null when the path is none of the API's */
    public static ApiPath parse(String rawPath) {
        String[] p = rawPath.split("/", -1);
        // "", "api", "sources", source, what, [span id]
        if (p.length < 3 || !p[0].isEmpty() || !"api".equals(p[1]) || !"sources".equals(p[2])) {
            return null;
        }
        if (p.length == 3) {
            return new ApiPath(Route.SOURCES, null, null);
        }
        if (p.length < 5 || p[3].isEmpty()) {
            return null;
        }
        String source = decode(p[3]);
        if (p.length == 5 && "tasks".equals(p[4])) {
            return new ApiPath(Route.TASKS, source, null);
        }
        if (p.length == 5 && "graph".equals(p[4])) {
            return new ApiPath(Route.GRAPH, source, null);
        }
        if (p.length == 6 && "tasks".equals(p[4]) && !p[5].isEmpty()) {
            return new ApiPath(Route.TASK, source, decode(p[5]));
        }
        return null;
    }

    private static String decode(String segment) {
        // In a path '+' is a plus, not a space.
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
