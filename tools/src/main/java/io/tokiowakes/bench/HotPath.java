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
 * detect in the engine. Each step first runs warm-up rounds for at least
 * {@value #MIN_WARMUP_SECONDS} s and until a round is within a fifth of the fastest so far while
 * the JIT compiles for less than 5 % of it (at most {@value #MAX_WARMUP_SECONDS} s; the figure
 * then says it did not settle), then the mean of {@value #ROUNDS} measured rounds. Five rounds
 * were not enough: on two cores, decoding 200,000 records took 4.5 µs a record for the first
 * five or six rounds (about 10 s) and 0.7-0.8 µs from then on, when the JIT's optimized compile
 * of the parser's loop lands (the JIT's compile time is counted only when a compile ends, so the
 * rounds before look quiet).
 */
public final class HotPath {

    private static final int MIN_WARMUP_SECONDS = 15;
    private static final int MAX_WARMUP_SECONDS = 120;
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

        Step decode = measure(() -> {
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
        Step internal = measure(() -> {
            long n = 0;
            for (Batch b : batches) {
                n += BatchCodec.decode(BatchCodec.encode(b)).records().size();
            }
            return n;
        }, batches.size() * Outbox.MAX_RECORDS);

        Step engine = measure(() -> {
            WakeEngine e = new WakeEngine(new TaskLints(LintSettings.DEFAULTS));
            CachedSourceStore store = CachedSourceStore.inMemory();
            long[] outputs = {0};
            for (TraceRecord r : decoded) {
                e.apply(r, store.bind(r.source()), o -> outputs[0]++);
            }
            return outputs[0];
        }, decoded.size());

        out.printf("hot path per record (%,d records, mean of %d rounds after warm-up rounds: at least %d s, until one"
                + " is within a fifth of the fastest with the JIT quiet):%n", raw.size(), ROUNDS, MIN_WARMUP_SECONDS);
        out.printf("  decode JSON -> TraceRecord:            %7.0f ns  (%,.0f records/s; %s)%n", decode.nanosPerRecord(),
                1e9 / decode.nanosPerRecord(), decode.warmUp());
        out.printf("  batch encode + decode:                 %7.0f ns  (per record that crosses the repartition; %s)%n",
                internal.nanosPerRecord(), internal.warmUp());
        out.printf("  resolve + classify + detect (engine):  %7.0f ns  (%,.0f records/s; %s)%n", engine.nanosPerRecord(),
                1e9 / engine.nanosPerRecord(), engine.warmUp());
    }

    /** A step's cost (ns per record) and its warm-up: rounds, seconds, and whether it settled in time. */
    private record Step(double nanosPerRecord, int warmUpRounds, double warmUpSeconds, boolean settled) {
        String warmUp() {
            return String.format("after %d warm-up rounds in %.0f s%s", warmUpRounds, warmUpSeconds,
                    settled ? "" : ", not settled");
        }
    }

    private interface Work {
        long run();
    }

    /** Warms {@code work} up, then times {@value #ROUNDS} rounds of it, {@code perRound} records each. */
    private static Step measure(Work work, int perRound) {
        long sink = 0;
        long fastest = Long.MAX_VALUE;
        long warmStart = System.nanoTime();
        long minEnd = warmStart + MIN_WARMUP_SECONDS * 1_000_000_000L;
        long maxEnd = warmStart + MAX_WARMUP_SECONDS * 1_000_000_000L;
        int rounds = 0;
        boolean settled = false;
        while (!settled && System.nanoTime() < maxEnd) {
            JitShare jit = JitShare.start();
            long start = System.nanoTime();
            sink += work.run();
            rounds++;
            long took = System.nanoTime() - start;
            double compiling = jit.sinceStart();
            fastest = Math.min(fastest, took);
            settled = System.nanoTime() >= minEnd && compiling < JitShare.QUIET && took <= fastest * 1.2;
        }
        double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += work.run();
        }
        long elapsed = System.nanoTime() - t0;
        if (sink == 42) {
            System.out.print("");
        }
        return new Step((double) elapsed / ROUNDS / perRound, rounds, warmSeconds, settled);
    }
}
