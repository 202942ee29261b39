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
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record cost of each step of the data path, measured in-process without Kafka:
 * decode, the batch encoding a record crosses the repartition in, and resolve + classify +
 * detect in the engine. Each step first runs warm-up rounds for at least
 * {@value #MIN_WARMUP_SECONDS} s (at most {@value #MAX_WARMUP} rounds), until one takes no longer
 * than the fastest so far plus a tenth while the JIT compiles for less than 5 % of it, then the
 * mean of {@value #ROUNDS} measured rounds. Five rounds were not enough: on two cores, decoding
 * 200,000 records took 4.5 µs a record for the first five or six rounds (about 10 s) and
 * 0.7-0.8 µs from then on, when the JIT's optimizing compile of the parser's loop lands (the
 * JIT's compile time is counted only when a compile ends, so the rounds before look quiet).
 */
public final class HotPath {

    private static final int MIN_WARMUP_SECONDS = 15;
    private static final int MAX_WARMUP = 100;
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

        out.printf("hot path per record (%,d records, mean of %d rounds after at least " + MIN_WARMUP_SECONDS + " s of warm-up, until a round is as fast"
                + " as the fastest, JIT done):%n", raw.size(), ROUNDS);
        out.printf("  decode JSON -> TraceRecord:            %7.0f ns  (%,.0f records/s)%n", decode, 1e9 / decode);
        out.printf("  batch encode + decode:                 %7.0f ns  (per record that crosses the repartition)%n", internal);
        out.printf("  resolve + classify + detect (engine):  %7.0f ns  (%,.0f records/s)%n", engine, 1e9 / engine);
    }

    private interface Work {
        long run();
    }

    /** @return nanoseconds per record */
    private static double measure(Work work, int perRound) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long sink = 0;
        long fastest = Long.MAX_VALUE;
        long warmUntil = System.nanoTime() + MIN_WARMUP_SECONDS * 1_000_000_000L;
        for (int i = 0; i < MAX_WARMUP; i++) {
            long compiled = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            sink += work.run();
            long took = System.nanoTime() - start;
            double compiling = (jit.getTotalCompilationTime() - compiled) * 1e6 / took;
            fastest = Math.min(fastest, took);
            if (System.nanoTime() >= warmUntil && compiling < 0.05 && took <= fastest * 1.1) {
                break;
            }
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
