package dev.vmwguest.bench;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.charset.StandardCharsets;

/** The simulated hosts the benchmarks run against. */
final class BenchHosts {

    /** The RPCI command whose reply is its argument, byte for byte: a round trip of a chosen size. */
    static final String ECHO = "echo";

    private BenchHosts() {
    }

    /**
     * A zero-cost host (no transcript, no paranoid checks) that answers
     * {@value #ECHO}, so that time measured is the client's.
     */
    static SimulatedHost zeroCostWithEcho() {
        SimulatedHost host = SimulatedHost.builder().zeroCost().build();
        host.rpci().handle(ECHO, RpciResult::ok);
        return host;
    }

    /** {@code size} printable bytes; the same content for the same size. */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('!' + i % 90);
        }
        return bytes;
    }

    /** The request {@code "echo "} followed by enough payload that the whole message is {@code size} bytes. */
    static byte[] echoRequest(int size) {
        byte[] prefix = (ECHO + " ").getBytes(StandardCharsets.US_ASCII);
        if (size < prefix.length) {
            throw new IllegalArgumentException("an echo request is at least " + prefix.length + " bytes: " + size);
        }
        byte[] request = payload(size);
        System.arraycopy(prefix, 0, request, 0, prefix.length);
        return request;
    }
}
