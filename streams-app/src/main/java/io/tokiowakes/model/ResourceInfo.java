package io.tokiowakes.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What a span of Tokio's resource instrumentation says when it is created
 * ({@code tokio/src/util/trace.rs}, {@code tokio/src/time/sleep.rs}, {@code tokio/src/sync/*.rs};
 * read by console-subscriber as resources and async ops). A task registers its waker with a
 * resource inside such spans: a {@code waker.clone} whose parent chain reaches a
 * {@code runtime.resource} span.
 *
 * @param role         which of the three resource span names the span has
 * @param kind         {@code kind} of a {@code runtime.resource} ({@code timer}, {@code Sync}, ...), else null
 * @param concreteType {@code concrete_type} of a {@code runtime.resource} ({@code Sleep}, {@code Semaphore},
 *                     {@code Sender|Receiver}, ...), else null
 * @param loc          where the resource was created, {@code file:line:col}, or null (internal resources have none)
 * @param internal     {@code is_internal = true}: a part of another resource (the batch semaphore inside a
 *                     {@code Mutex}, {@code RwLock} or {@code Semaphore}), which tokio-console hides
 */
public record ResourceInfo(Role role, String kind, String concreteType, String loc, boolean internal) {

    public static final String RESOURCE_SPAN_NAME = "runtime.resource";
    public static final String ASYNC_OP_SPAN_NAME = "runtime.resource.async_op";
    public static final String ASYNC_OP_POLL_SPAN_NAME = "runtime.resource.async_op.poll";

    /** The three spans of Tokio's resource instrumentation. */
    public enum Role {
        /** {@code runtime.resource}: one resource (a timer, a lock, a channel half...) while it exists. */
        RESOURCE,
        /** {@code runtime.resource.async_op}: one operation on a resource (its parent), e.g. {@code Sleep::reset}. */
        ASYNC_OP,
        /** {@code runtime.resource.async_op.poll}: entered while the operation (its parent) is polled. */
        ASYNC_OP_POLL
    }

    /** An async op or async op poll span: it carries nothing but its name and parent. */
    public static ResourceInfo of(Role role) {
        return new ResourceInfo(role, null, null, null, false);
    }

    /** @return the role of a span of that name, or null when it is no resource span */
    public static Role roleOf(String spanName) {
        if (spanName == null || !spanName.startsWith(RESOURCE_SPAN_NAME)) {
            return null;
        }
        return switch (spanName) {
            case RESOURCE_SPAN_NAME -> Role.RESOURCE;
            case ASYNC_OP_SPAN_NAME -> Role.ASYNC_OP;
            case ASYNC_OP_POLL_SPAN_NAME -> Role.ASYNC_OP_POLL;
            default -> null;
        };
    }

    @JsonIgnore
    public boolean isResource() {
        return role == Role.RESOURCE;
    }
}
