package io.tokiowakes.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApiPathTest {

    @Test
    void routes() {
        assertEquals(new ApiPath(ApiPath.Route.SOURCES, null, null), ApiPath.parse("/api/sources"));
        assertEquals(new ApiPath(ApiPath.Route.TASKS, "a", null), ApiPath.parse("/api/sources/a/tasks"));
        assertEquals(new ApiPath(ApiPath.Route.TASK, "a", "12"), ApiPath.parse("/api/sources/a/tasks/12"));
        assertEquals(new ApiPath(ApiPath.Route.GRAPH, "a", null), ApiPath.parse("/api/sources/a/graph"));
    }

    @Test
    void sourceNamesWithSlashesAreEncoded() {
        assertEquals("svc-a/host1/4242", ApiPath.parse("/api/sources/svc-a%2Fhost1%2F4242/graph").source());
        assertEquals("a+b c", ApiPath.parse("/api/sources/a+b%20c/graph").source());
    }

    @Test
    void otherPathsAreNone() {
        assertNull(ApiPath.parse("/api/sources/a/b/graph"));
        assertNull(ApiPath.parse("/api/sources//graph"));
        assertNull(ApiPath.parse("/api/other"));
        assertNull(ApiPath.parse("/api/sources/a/tasks/"));
    }
}
