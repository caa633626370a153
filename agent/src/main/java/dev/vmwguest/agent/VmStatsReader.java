package dev.vmwguest.agent;

import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciReply;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads the VM's resource statistics with {@code guestlib.info.get} as libguestlib does
 * (guest-info.md 6.2-6.4; open-vm-tools libguestlib/vmGuestLib.c:349-579): version 3 first, version 2
 * when the host refuses 3, and again from 3 after the session id changed. A reply {@code Unknown command}
 * means guestlib is not enabled for this VM. Unlike libguestlib, which opens a one-shot channel per
 * call, the request goes over the given client's channel. Not thread-safe.
 *
 * <pre>{@code
 * VmStatsReader stats = VmStatsReader.over(rpci);
 * VmStats now = stats.read();
 * if (now.sessionChanged()) { ... the VM moved, resumed or was reverted ... }
 * }</pre>
 */
public final class VmStatsReader {

    private static final int MAX_STATS = 38;
    private static final int V2_SIZE = 669;

    private final Function<byte[], RpciReply> rpci;
    private int version = 3;
    private long lastSession;
    private boolean haveSession;

    private VmStatsReader(Function<byte[], RpciReply> rpci) {
        this.rpci = rpci;
    }

    /**
     * A reader sending through {@code client}.
     *
     * @param client the RPCI client
     * @return a new reader
     */
    public static VmStatsReader over(RpciClient client) {
        Objects.requireNonNull(client, "client");
        return new VmStatsReader(client::sendBytes);
    }

    /**
     * Asks the host for the statistics.
     *
     * @return the reading
     * @throws VmStatsException if guestlib is not enabled or the reply is malformed
     */
    public VmStats read() {
        while (true) {
            RpciReply reply = rpci.apply(("guestlib.info.get " + version).getBytes(StandardCharsets.US_ASCII));
            if (!reply.success()) {
                String text = new String(reply.bytes(), StandardCharsets.UTF_8);
                if (text.equals("Unknown command") || version == 2) {
                    version = 3;
                    throw new VmStatsException("guestlib statistics not enabled for this VM (host: " + text + ")");
                }
                version = 2;
                continue;
            }
            VmStats stats = version == 3 ? parseV3(reply.bytes()) : parseV2(reply.bytes());
            boolean changed = haveSession && stats.sessionId() != lastSession;
            haveSession = true;
            lastSession = stats.sessionId();
            if (changed) {
                version = 3;   // a new session may be on a newer host
            }
            return new VmStats(stats.version(), stats.sessionId(), changed, stats.numbers(), stats.texts());
        }
    }

    static VmStats parseV3(byte[] reply) {
        try {
            ByteBuffer header = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
            int version = header.getInt();
            if (version != 3) {
                throw new VmStatsException("guestlib reply version " + version + " to a version 3 request");
            }
            long session = header.getLong();
            int size = header.getInt();
            if (size < 0 || size > header.remaining()) {
                throw new VmStatsException("guestlib reply announces " + size + " bytes of data, has " + header.remaining());
            }
            ByteBuffer xdr = ByteBuffer.wrap(reply, 16, size).order(ByteOrder.BIG_ENDIAN);
            int count = Math.min(xdr.getInt(), MAX_STATS);
            Map<VmStat, Long> numbers = new EnumMap<>(VmStat.class);
            Map<VmStat, String> texts = new EnumMap<>(VmStat.class);
            for (int i = 0; i < count; i++) {
                int id = xdr.getInt();
                if (id != i + 1) {
                    throw new VmStatsException("guestlib stat " + (i + 1) + " expected, got id " + id);
                }
                VmStat stat = VmStat.of(id);
                boolean valid = xdr.getInt() != 0;
                switch (stat.wireType()) {
                    case 'I' -> put(numbers, stat, valid, xdr.getInt() & 0xFFFF_FFFFL);
                    case 'L' -> put(numbers, stat, valid, xdr.getLong());
                    default -> {
                        int length = xdr.getInt();
                        if (length < 0 || length > xdr.remaining() || stat.wireType() == 'S' && length > 512) {
                            throw new VmStatsException("guestlib stat " + id + " has a bad length " + length);
                        }
                        byte[] bytes = new byte[length];
                        xdr.get(bytes);
                        xdr.position(xdr.position() + (4 - length % 4) % 4);
                        if (valid) {
                            texts.put(stat, new String(bytes, StandardCharsets.UTF_8).replace("\0", ""));
                        }
                    }
                }
            }
            return new VmStats(3, session, false, numbers, texts);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new VmStatsException("guestlib version 3 reply is truncated (" + reply.length + " bytes)");
        }
    }

    static VmStats parseV2(byte[] reply) {
        if (reply.length != V2_SIZE) {
            throw new VmStatsException("guestlib version 2 reply is " + reply.length + " bytes, not " + V2_SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
        int version = in.getInt();
        if (version != 2) {
            throw new VmStatsException("guestlib reply version " + version + " to a version 2 request");
        }
        long session = in.getLong();
        Map<VmStat, Long> numbers = new EnumMap<>(VmStat.class);
        for (int id = 1; id <= 17; id++) {
            VmStat stat = VmStat.of(id);
            boolean valid = in.get() != 0;
            in.position(in.position() + 3);
            put(numbers, stat, valid, stat.wireType() == 'L' ? in.getLong() : in.getInt() & 0xFFFF_FFFFL);
        }
        Map<VmStat, String> texts = new EnumMap<>(VmStat.class);
        boolean valid = in.get() != 0;
        byte[] path = new byte[512];
        in.get(path);
        if (valid) {
            int end = 0;
            while (end < path.length && path[end] != 0) {
                end++;
            }
            texts.put(VmStat.RESOURCE_POOL_PATH, new String(path, 0, end, StandardCharsets.UTF_8));
        }
        return new VmStats(2, session, false, numbers, texts);
    }

    private static void put(Map<VmStat, Long> numbers, VmStat stat, boolean valid, long value) {
        if (valid) {
            numbers.put(stat, value);
        }
    }
}
