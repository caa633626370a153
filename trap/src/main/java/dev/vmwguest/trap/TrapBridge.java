package dev.vmwguest.trap;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;

import org.jspecify.annotations.Nullable;

/**
 * The Java end of the supervisor's socket (wire format in
 * {@code src/main/c/vmwtrap_wire.h}): turns each trapped instruction into a
 * {@link Backdoor} call and its answer into the registers the instruction
 * leaves behind.
 *
 * <p>Register semantics (applied here, written back verbatim by the supervisor):
 * <ul>
 *   <li>The host sees the low 32 bits of each register in a {@link RegisterFrame}.</li>
 *   <li>{@code in eax, dx}: {@code rax} = the host's {@code ax}, zero-extended (a 32-bit
 *       write). Every other register the host changed gets its new 32-bit value
 *       zero-extended; a register the host left alone keeps all 64 bits, upper half
 *       included.</li>
 *   <li>{@code rep outsb} / {@code rep insb}: as for {@code in}, except that the count and
 *       the buffer register are the instruction's, not the host's: {@code rcx} = 0 and
 *       {@code rsi} (outsb) or {@code rdi} (insb) advanced by the count, as the CPU leaves
 *       them after a completed {@code rep}. With an address-size prefix (67) they are the
 *       32-bit {@code ecx}/{@code esi}/{@code edi}, written zero-extended.</li>
 * </ul>
 */
final class TrapBridge implements Runnable {

    static final int WIRE_MAGIC = 0x50525456;
    static final int KIND_HELLO = 0;
    static final int KIND_LB = 1;
    static final int KIND_HB_OUT = 2;
    static final int KIND_HB_IN = 3;
    static final int HELLO_CPUID_FAULTING = 0x1;
    static final int HELLO_SECCOMP_VSOCK = 0x2;
    static final int HELLO_FORCE_ENV = 0x4;
    static final int HELLO_CPUID_BREAKPOINTS = 0x8;
    static final int REQ_ADDR32 = 0x1;
    static final int ACTION_APPLY = 0;
    static final int ACTION_DELIVER = 1;
    static final int REQUEST_HEADER = 88;
    static final int REPLY_HEADER = 68;

    private static final int RAX = 0;
    private static final int RCX = 2;
    private static final int RSI = 4;
    private static final int RDI = 5;

    private final Backdoor host;
    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(REQUEST_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer reply = ByteBuffer.allocate(REPLY_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private final RegisterFrame frame = new RegisterFrame();
    private final long[] registers = new long[7];

    final AtomicLong lowBandwidth = new AtomicLong();
    final AtomicLong highBandwidthOut = new AtomicLong();
    final AtomicLong highBandwidthIn = new AtomicLong();
    final List<String> hostErrors = new CopyOnWriteArrayList<>();
    volatile int helloFlags = -1;
    volatile @Nullable IOException failure;

    TrapBridge(Backdoor host, SocketChannel channel) {
        this.host = host;
        this.channel = channel;
    }

    @Override
    public void run() {
        try (channel) {
            while (serveOne()) {
                // next message
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Serves one message; false at the end of the stream. */
    private boolean serveOne() throws IOException {
        header.clear();
        if (!readFully(header, true)) {
            return false;
        }
        header.flip();
        int magic = header.getInt(0);
        if (magic != WIRE_MAGIC) {
            throw new IOException(String.format("bad message magic 0x%08x", magic));
        }
        int kind = header.getInt(4);
        int flags = header.getInt(12);
        for (int i = 0; i < 7; i++) {
            registers[i] = header.getLong(16 + 8 * i);
        }
        long count = Integer.toUnsignedLong(header.getInt(80));
        int length = header.getInt(84);
        ByteBuffer payload = ByteBuffer.allocate(Math.max(length, 0));
        readFully(payload, false);
        payload.flip();

        if (kind == KIND_HELLO) {
            helloFlags = flags;
            sendReply(ACTION_APPLY, registers, null);
            return true;
        }
        long[] out = registers.clone();
        @Nullable ByteBuffer data = null;
        int action = ACTION_APPLY;
        try {
            frame.set((int) registers[0], (int) registers[1], (int) registers[2], (int) registers[3],
                    (int) registers[4], (int) registers[5], (int) registers[6]);
            switch (kind) {
                case KIND_LB -> {
                    host.call(frame);
                    lowBandwidth.incrementAndGet();
                }
                case KIND_HB_OUT -> {
                    host.send(frame, payload.asReadOnlyBuffer());
                    highBandwidthOut.incrementAndGet();
                }
                case KIND_HB_IN -> {
                    data = ByteBuffer.allocate((int) count);
                    host.receive(frame, data);
                    data.clear(); // the host leaves the position alone; send all count bytes
                    highBandwidthIn.incrementAndGet();
                }
                default -> throw new IOException("unknown message kind " + kind);
            }
            applyRegisters(kind, (flags & REQ_ADDR32) != 0, count, registers, frame, out);
        } catch (RuntimeException e) {
            hostErrors.add(describe(kind, registers) + ": " + e);
            action = ACTION_DELIVER;
            data = null;
        }
        sendReply(action, out, data);
        return true;
    }

    /**
     * Computes the registers the instruction leaves, from the registers it found
     * ({@code in}), the host's answer ({@code frame}) and the transfer count.
     */
    static void applyRegisters(int kind, boolean addr32, long count, long[] in, RegisterFrame frame, long[] out) {
        int[] answer = {frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(), frame.di(), frame.bp()};
        for (int i = 0; i < 7; i++) {
            out[i] = answer[i] == (int) in[i] ? in[i] : Integer.toUnsignedLong(answer[i]);
        }
        out[RAX] = kind == KIND_LB ? Integer.toUnsignedLong(answer[RAX]) : out[RAX];
        if (kind == KIND_HB_OUT || kind == KIND_HB_IN) {
            int pointer = kind == KIND_HB_OUT ? RSI : RDI;
            out[RCX] = 0;
            out[pointer] = addr32 ? Integer.toUnsignedLong((int) (in[pointer] + count)) : in[pointer] + count;
        }
    }

    private static String describe(int kind, long[] regs) {
        String name = switch (kind) {
            case KIND_LB -> "in";
            case KIND_HB_OUT -> "rep outsb";
            case KIND_HB_IN -> "rep insb";
            default -> "kind " + kind;
        };
        return String.format("%s [rax=%x rbx=%x rcx=%x rdx=%x]", name, regs[0], regs[1], regs[2], regs[3]);
    }

    private void sendReply(int action, long[] regs, @Nullable ByteBuffer data) throws IOException {
        reply.clear();
        reply.putInt(WIRE_MAGIC).putInt(action);
        for (int i = 0; i < 7; i++) {
            reply.putLong(regs[i]);
        }
        reply.putInt(data == null ? 0 : data.remaining());
        reply.flip();
        if (data == null) {
            writeFully(reply);
        } else {
            ByteBuffer[] both = {reply, data};
            long total = (long) reply.remaining() + data.remaining();
            long written = 0;
            while (written < total) {
                written += channel.write(both);
            }
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Fills the buffer; false if the stream ended before the first byte and {@code eofOk}. */
    private boolean readFully(ByteBuffer buffer, boolean eofOk) throws IOException {
        boolean first = true;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                if (first && eofOk) {
                    return false;
                }
                throw new EOFException("supervisor closed the socket mid-message");
            }
            first = false;
        }
        return true;
    }
}
