package io.tokiowakes.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResourceRefTest {

    @Test
    void aLabelShowsKindTypeAndWhereOutsideTheCrateRegistry() {
        assertEquals("timer Sleep src/main.rs:12:5", new ResourceRef(1, "timer", "Sleep", "src/main.rs:12:5").label());
        assertEquals("timer Sleep tokio-1.53.1/src/time/interval.rs:135:25", new ResourceRef(1, "timer", "Sleep",
                "/home/b/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tokio-1.53.1/src/time/interval.rs:135:25").label());
        assertEquals("timer Sleep tokio-1.24.2/src/time/interval.rs:135:52", new ResourceRef(1, "timer", "Sleep",
                "/usr/share/cargo/registry/tokio-1.24.2/src/time/interval.rs:135:52").label());
        assertEquals("Sync Semaphore", new ResourceRef(1, "Sync", "Semaphore", null).label());
        assertEquals("? ?", new ResourceRef(1, null, null, null).label());
    }
}
