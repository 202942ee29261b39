package io.tokiowakes.bench;

import io.tokiowakes.detect.LintSettings;
import io.tokiowakes.detect.TaskLints;
import io.tokiowakes.engine.WakeEngine;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.engine.CachedSourceStore;
import io.tokiowakes.ingest.Held;
import io.tokiowakes.ingest.Outbox;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record cost of each step of the data path, measured in-process without Kafka:
 * decode, the batch encoding a record crosses the repartition in, and resolve + classify +
 * detect in the engine. Warm-up rounds first, then the mean of measured rounds.
 */
public final class HotPath {

    private static final int WARMUP = 5;
    private static final int ROUNDS = 5;

    private HotPath() {
    }

    public static void run(int records, PrintStream out) throws InvalidRecordException {
        List<byte[]> raw = new ArrayList<>(records);
        new LoadGenerator(10, 200, 7).generate(records, line -> raw.add(line.getBytes(StandardCharsets.UTF_8)));
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        List<TraceRecord> decoded = new ArrayList<>(raw.size());
        for (byte[] r : raw) {
            decoded.add(decoder.decode(r));
        }
        List<TraceRecord> kept = decoded.stream().filter(r -> r.isWakerEvent() || r.isTaskSpanNew()
                || r.type().isSpan()).toList();

        double decode = measure(() -> {
            long n = 0;
            for (byte[] r : raw) {
                try {
                    n += decoder.decode(r).tsNanos() & 1;
                } catch (InvalidRecordException e) {
                    throw new IllegalStateException(e);
                }
            }
            return n;
        }, raw.size());

        // Batches as the filter stage makes them: one source's records, up to the outbox's limit.
        List<Batch> batches = new ArrayList<>();
        java.util.Map<String, List<Held>> open = new java.util.HashMap<>();
        for (TraceRecord r : kept) {
            List<Held> b = open.computeIfAbsent(r.source(), s -> new ArrayList<>());
            b.add(new Held(r, r.tsNanos() / 1_000_000));
            if (b.size() == Outbox.MAX_RECORDS) {
                batches.add(new Batch(r.source(), 0, 0, List.copyOf(b)));
                b.clear();
            }
        }
        double internal = measure(() -> {
            long n = 0;
            for (Batch b : batches) {
                n += BatchCodec.decode(BatchCodec.encode(b)).records().size();
            }
            return n;
        }, batches.size() * Outbox.MAX_RECORDS);

        double engine = measure(() -> {
            WakeEngine e = new WakeEngine(new TaskLints(LintSettings.DEFAULTS));
            CachedSourceStore store = CachedSourceStore.inMemory();
            long[] outputs = {0};
            for (TraceRecord r : decoded) {
                e.apply(r, store.bind(r.source()), o -> outputs[0]++);
            }
            return outputs[0];
        }, decoded.size());

        out.printf("hot path per record (%,d records, mean of %d rounds after %d warm-up):%n", raw.size(), ROUNDS, WARMUP);
        out.printf("  decode JSON -> TraceRecord:            %7.0f ns  (%,.0f records/s)%n", decode, 1e9 / decode);
        out.printf("  batch encode + decode:                 %7.0f ns  (per record that crosses the repartition)%n", internal);
        out.printf("  resolve + classify + detect (engine):  %7.0f ns  (%,.0f records/s)%n", engine, 1e9 / engine);
    }

    private interface Work {
        long run();
    }

    /** @return nanoseconds per record */
    private static double measure(Work work, int perRound) {
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += work.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += work.run();
        }
        long elapsed = System.nanoTime() - t0;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / ROUNDS / perRound;
    }
}
