package io.tokiowakes.model;


/**
 * A live span of Tokio's resource instrumentation ({@code runtime.resource}, its async ops and
 * their poll spans): what a {@code waker.clone}'s parent chain is followed through to the resource
 * a task registers its waker with. Kept from span_new to span_close. Fields are public so the
 * state store's serde sees them.
 */
public class ResourceSpan {
    public long spanId;
    /** The parent span (a resource for async ops and their polls), 0 for a root. */
    public long parentId;
    public ResourceInfo info;

    public ResourceSpan() {
    }

    /**
     * @param parentId the span_new's {@code parent_id}, or null for a root (tracing never gives ID 0)
     */
    public ResourceSpan(long spanId, Long parentId, ResourceInfo info) {
        this.spanId = spanId;
        this.parentId = parentId == null ? 0 : parentId;
        this.info = info;
    }
}
