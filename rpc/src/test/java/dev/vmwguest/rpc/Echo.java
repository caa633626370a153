package dev.vmwguest.rpc;

import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * An RPCI command on the simulated host that answers with the exact bytes it
 * was sent, so byte-for-byte round trips can be checked at the channel layer.
 *
 * <p>The request is {@code "echo "} + payload + {@code "!"}. The host hands a
 * handler its arguments with trailing NULs stripped (text commands end at NUL);
 * the closing {@code '!'} keeps a payload that ends in {@code 0x00} intact, and
 * the handler drops it again. So an n-byte payload is an (n + 6)-byte request
 * and an n-byte reply.
 */
final class Echo {

    static final String COMMAND = "echo";
    /** Bytes the request adds around the payload: {@code "echo "} and {@code "!"}. */
    static final int OVERHEAD = COMMAND.length() + 2;

    private Echo() {
    }

    /** Installs the echo command on {@code host}; returns the host. */
    static SimulatedHost on(SimulatedHost host) {
        host.rpci().handle(COMMAND, args -> RpciResult.raw(Arrays.copyOf(args, args.length - 1)));
        return host;
    }

    /** The request that makes the host answer with exactly {@code payload}. */
    static byte[] request(byte[] payload) {
        byte[] request = new byte[payload.length + OVERHEAD];
        byte[] prefix = (COMMAND + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, request, 0, prefix.length);
        System.arraycopy(payload, 0, request, prefix.length, payload.length);
        request[request.length - 1] = '!';
        return request;
    }

    /**
     * {@code size} reproducible random bytes that contain 0x00 and 0xFF (when
     * size allows) at the start, in the middle and at the end, the bytes a
     * string-minded or sign-extending implementation would mangle.
     */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(size * 31L + 7).nextBytes(bytes);
        int[] zeros = {0, size / 2, size - 1};
        int[] ones = {1, size / 2 + 1, size - 2};
        for (int i : zeros) {
            if (i >= 0 && i < size) {
                bytes[i] = 0x00;
            }
        }
        for (int i : ones) {
            if (i >= 0 && i < size && size > 2) {
                bytes[i] = (byte) 0xFF;
            }
        }
        return bytes;
    }

    /** Calls needed to move {@code bytes} over the low-bandwidth path: one per 4 bytes (section 4.4). */
    static int words(int bytes) {
        return (bytes + 3) / 4;
    }
}
