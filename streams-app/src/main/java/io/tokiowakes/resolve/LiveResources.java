package io.tokiowakes.resolve;

import io.tokiowakes.model.ResourceSpan;

/** The live resource spans of one source, by span ID. */
public interface LiveResources {
    /** @return the live resource, async op or async op poll span, or null when no such span is open */
    ResourceSpan resource(long spanId);
}
