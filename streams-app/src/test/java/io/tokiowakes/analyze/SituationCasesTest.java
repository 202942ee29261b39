package io.tokiowakes.analyze;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The small traces of real-world situations (tokio-console and Tokio reports) in
 * {@code cases/}, each with the result that is right for it.
 */
class SituationCasesTest {

    @Test
    void futureSizeLintsReadWhatSitsInTheTask() {
        CaseRun run = CaseRun.of("future-size-lints.jsonl");
        assertEquals(Map.of(
                "boxed-big", List.of("AUTO_BOXED_FUTURE"),
                "inline-big", List.of("LARGE_FUTURE"),
                "local-edge", List.of("LARGE_FUTURE")), run.anomaliesByTask());
        assertEquals(0, run.result.rejected());
    }
}
