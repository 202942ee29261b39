package io.tokiowakes.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The broker's listener and controller ports must differ, or the broker refuses its own config. */
class FreePortsTest {

    @Test
    void portsAskedForTogetherAreDistinctAndFree() throws IOException {
        for (int round = 0; round < 20; round++) {
            int[] ports = LocalKafka.freePorts(8);
            assertEquals(8, Arrays.stream(ports).distinct().count(), () -> "repeated: " + Arrays.toString(ports));
            for (int port : ports) {
                // Released again: the caller's broker binds them next.
                try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    assertEquals(port, again.getLocalPort());
                }
            }
        }
    }
}
