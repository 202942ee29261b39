package io.tokiowakes.model;

import io.tokiowakes.json.UnsignedLongSerializer;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A resource as outputs name it: one a task had registered its waker with when it was woken.
 *
 * @param spanId       the span ID of its {@code runtime.resource} span
 * @param kind         Tokio's resource kind: {@code timer}, {@code Sync}, ...
 * @param concreteType {@code Sleep}, {@code Semaphore}, {@code Mutex}, {@code Sender|Receiver}, ...
 * @param loc          where it was created, {@code file:line:col}, or null when the span names no place
 */
public record ResourceRef(@JsonSerialize(using = UnsignedLongSerializer.class) long spanId,
                          String kind, String concreteType, String loc) {

    /** Tokio's resource kind of timers ({@code Sleep}, {@code Interval}): tokio/src/time/sleep.rs. */
    public static final String TIMER = "timer";

    public static ResourceRef of(ResourceSpan r) {
        return new ResourceRef(r.spanId, r.info.kind(), r.info.concreteType(), r.info.loc());
    }

    @JsonIgnore
    public boolean isTimer() {
        return TIMER.equals(kind);
    }

    /**
     * How people read it, e.g. {@code timer Sleep src/main.rs:12:5}: kind, type, and the location
     * with a crate registry's folders left out ({@code tokio-1.53.1/src/time/interval.rs:135:25}).
     */
    @JsonIgnore
    public String label() {
        StringBuilder b = new StringBuilder();
        b.append(kind == null ? "?" : kind).append(' ').append(concreteType == null ? "?" : concreteType);
        if (loc != null) {
            b.append(' ').append(shortLocation(loc));
        }
        return b.toString();
    }

    /**
     * A location inside Cargo's registry ({@code ~/.cargo/registry/src/<index>/tokio-1.53.1/src/...})
     * or Debian's ({@code /usr/share/cargo/registry/tokio-1.24.2/src/...}) from the crate's folder on.
     */
    static String shortLocation(String loc) {
        int at = loc.lastIndexOf("/registry/");
        if (at < 0) {
            return loc;
        }
        String rest = loc.substring(at + "/registry/".length());
        if (rest.startsWith("src/")) {
            int index = rest.indexOf('/', "src/".length());
            rest = index < 0 ? rest : rest.substring(index + 1);
        }
        return rest;
    }
}
