package io.tokiowakes.topology;

import io.tokiowakes.avro.AvroOutputs;
import io.tokiowakes.avro.AvroTraceDecoder;
import io.tokiowakes.emit.Output;
import io.tokiowakes.ingest.RecordDecoder;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.json.JsonSerde;
import org.apache.kafka.common.serialization.Serde;

/** The decoder of the input topic and the serde of the output topics, by configured format. */
public final class WireFormats {

    private WireFormats() {
    }

    public static RecordDecoder inputDecoder(JobSettings settings) {
        return switch (settings.inputFormat()) {
            case JSON -> new TraceDecoder(settings.maxRecordBytes());
            case AVRO -> new AvroTraceDecoder(settings.maxRecordBytes());
        };
    }

    public static Serde<Output> outputSerde(JobSettings settings) {
        return switch (settings.outputFormat()) {
            case JSON -> JsonSerde.of(Output.class);
            case AVRO -> AvroOutputs.serde();
        };
    }
}
