package io.tokiowakes.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/** Span IDs are u64 kept in a long: written back as the unsigned number they came in as. */
public class UnsignedLongSerializer extends StdSerializer<Long> {
    public UnsignedLongSerializer() {
        super(Long.class);
    }

    @Override
    public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value >= 0) {
            gen.writeNumber(value);
        } else {
            gen.writeNumber(Long.toUnsignedString(value));
        }
    }
}
