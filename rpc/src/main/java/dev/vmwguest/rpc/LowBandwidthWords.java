package dev.vmwguest.rpc;

import java.nio.ByteBuffer;

/**
 * Packing of payload bytes into the 32-bit words of low-bandwidth steps:
 * byte k of a chunk goes to bits 8k+7..8k, a short last chunk is zero-padded,
 * and nothing past the end of the message is read or written
 * (guestrpc-channel.md sections 4.4 and 4.7).
 */
final class LowBandwidthWords {

    private LowBandwidthWords() {
    }

    /** Number of low-bandwidth calls for {@code length} payload bytes. */
    static int wordCount(int length) {
        return (length + 3) >>> 2;
    }

    /** The word holding bytes {@code index .. min(index + 4, end)} of {@code source} (absolute indexes). */
    static int pack(ByteBuffer source, int index, int end) {
        int word = 0;
        int count = Math.min(4, end - index);
        for (int k = 0; k < count; k++) {
            word |= (source.get(index + k) & 0xFF) << (8 * k);
        }
        return word;
    }

    /** Stores the first {@code min(4, end - index)} bytes of {@code word} at {@code index} of {@code target}. */
    static void unpack(int word, ByteBuffer target, int index, int end) {
        int count = Math.min(4, end - index);
        for (int k = 0; k < count; k++) {
            target.put(index + k, (byte) (word >>> (8 * k)));
        }
    }
}
