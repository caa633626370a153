package dev.vmwguest.trap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;

/**
 * A deliberately small RPCI-only host for the trap launcher's tests with
 * VMware's {@code vmware-rpctool}, written from the fact sheets
 * ({@code observed-clients.md}, {@code guestrpc-channel.md}): GETVERSION,
 * MESSAGE over LB and HB, cookies, guestinfo set/get, log. It exists so that
 * the trap path can be proven with an independent client independently of the
 * full {@code SimulatedHost}; the launcher itself works with any {@link Backdoor}.
 */
final class TrapMiniRpciHost implements Backdoor {

    private static final int SUCCESS = 0x0001;
    private static final int DORECV = 0x0002;
    private static final int HB = 0x0080;
    private static final int MAX_IN = 65536;

    private final boolean highBandwidth;
    final Map<String, String> guestInfo = new HashMap<>();
    final List<String> log = new ArrayList<>();
    /** One entry per backdoor call: GETVERSION, OPEN, SENDSIZE, ..., HB-OUT, HB-IN. */
    final List<String> calls = new ArrayList<>();

    private static final class Channel {
        int cookieHigh;
        int cookieLow;
        int expected = -1;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        byte[] reply;
        int replyPos;
    }

    private final Channel[] channels = new Channel[8];

    TrapMiniRpciHost(boolean highBandwidth) {
        this.highBandwidth = highBandwidth;
    }

    @Override
    public synchronized void call(RegisterFrame f) {
        int command = RegisterFrame.low16(f.cx());
        if (command == 10) {
            calls.add("GETVERSION");
            f.ax(6).bx(MAGIC).cx(2);
            return;
        }
        if (command != 30) {
            calls.add("CMD" + command);
            f.ax(0xFFFFFFFF);
            return;
        }
        int subtype = RegisterFrame.high16(f.cx());
        int id = RegisterFrame.high16(f.dx());
        calls.add(switch (subtype) {
            case 0 -> "OPEN";
            case 1 -> "SENDSIZE";
            case 2 -> "SENDPAYLOAD";
            case 3 -> "RECVSIZE";
            case 4 -> "RECVPAYLOAD";
            case 5 -> "RECVSTATUS";
            case 6 -> "CLOSE";
            default -> "MESSAGE" + subtype;
        });
        if (subtype == 0) {
            open(f);
            return;
        }
        Channel c = id < channels.length ? channels[id] : null;
        if (c == null || f.si() != c.cookieHigh || f.di() != c.cookieLow) {
            status(f, 0);
            return;
        }
        switch (subtype) {
            case 1 -> {
                int size = f.bx();
                if (size < 0 || size > MAX_IN) {
                    status(f, 0);
                    return;
                }
                c.expected = size;
                c.request.reset();
                if (size == 0) {
                    process(c);
                }
                status(f, SUCCESS | (highBandwidth ? HB : 0));
            }
            case 2 -> {
                int left = c.expected - c.request.size();
                if (c.expected < 0 || left <= 0) {
                    status(f, 0);
                    return;
                }
                int v = f.bx();
                for (int i = 0; i < Math.min(4, left); i++) {
                    c.request.write(v >>> (8 * i));
                }
                if (c.request.size() == c.expected) {
                    process(c);
                }
                status(f, SUCCESS);
            }
            case 3 -> {
                if (c.reply == null) {
                    status(f, SUCCESS);
                    return;
                }
                f.bx(c.reply.length).dx(RegisterFrame.halves(1, f.dx()));
                status(f, SUCCESS | DORECV | (highBandwidth ? HB : 0));
            }
            case 4 -> {
                if (c.reply == null || c.replyPos >= c.reply.length) {
                    status(f, 0);
                    return;
                }
                int v = 0;
                for (int i = 0; i < 4 && c.replyPos < c.reply.length; i++) {
                    v |= (c.reply[c.replyPos++] & 0xFF) << (8 * i);
                }
                f.bx(v).dx(RegisterFrame.halves(2, f.dx()));
                status(f, SUCCESS);
            }
            case 5 -> {
                c.reply = null;
                status(f, SUCCESS);
            }
            case 6 -> {
                channels[id] = null;
                status(f, SUCCESS);
            }
            default -> status(f, 0);
        }
    }

    private void open(RegisterFrame f) {
        for (int id = 0; id < channels.length; id++) {
            if (channels[id] == null) {
                Channel c = new Channel();
                if ((f.bx() & 0x80000000) != 0) {
                    c.cookieHigh = ThreadLocalRandom.current().nextInt();
                    c.cookieLow = ThreadLocalRandom.current().nextInt();
                } else {
                    c.cookieHigh = f.si();
                    c.cookieLow = f.di();
                }
                channels[id] = c;
                f.dx(RegisterFrame.halves(id, f.dx())).si(c.cookieHigh).di(c.cookieLow);
                status(f, SUCCESS);
                return;
            }
        }
        status(f, 0);
    }

    private static void status(RegisterFrame f, int status) {
        f.cx(RegisterFrame.halves(status, 0));
    }

    private void process(Channel c) {
        byte[] raw = c.request.toByteArray();
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        String request = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        String reply;
        if (request.startsWith("info-set guestinfo.")) {
            int space = request.indexOf(' ', "info-set ".length());
            if (space < 0) {
                reply = "0 Two and exactly two arguments expected";
            } else {
                guestInfo.put(request.substring("info-set ".length(), space), request.substring(space + 1));
                reply = "1 ";
            }
        } else if (request.startsWith("info-get ")) {
            String value = guestInfo.get(request.substring("info-get ".length()).strip());
            reply = value == null ? "0 No value found" : "1 " + value;
        } else if (request.startsWith("log ")) {
            log.add(request.substring(4));
            reply = "1 ";
        } else {
            reply = "0 Unknown command";
        }
        c.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        c.replyPos = 0;
        c.expected = -1;
    }

    @Override
    public synchronized void send(RegisterFrame f, ByteBuffer source) {
        calls.add("HB-OUT");
        int id = RegisterFrame.high16(f.dx());
        Channel c = id < channels.length ? channels[id] : null;
        // HB out: cookie high in bp, cookie low in di
        if (c == null || f.bp() != c.cookieHigh || f.di() != c.cookieLow || c.expected != source.remaining()) {
            f.bx(RegisterFrame.halves(0, f.bx()));
            return;
        }
        byte[] bytes = new byte[source.remaining()];
        source.duplicate().get(bytes);
        c.request.writeBytes(bytes);
        process(c);
        f.bx(RegisterFrame.halves(SUCCESS, f.bx()));
    }

    @Override
    public synchronized void receive(RegisterFrame f, ByteBuffer target) {
        calls.add("HB-IN");
        int id = RegisterFrame.high16(f.dx());
        Channel c = id < channels.length ? channels[id] : null;
        // HB in: cookie high in si, cookie low in bp
        if (c == null || f.si() != c.cookieHigh || f.bp() != c.cookieLow || c.reply == null
                || c.reply.length != target.remaining()) {
            f.bx(RegisterFrame.halves(0, f.bx()));
            return;
        }
        target.duplicate().put(c.reply);
        f.bx(RegisterFrame.halves(SUCCESS, f.bx()));
    }

    @Override
    public BackdoorMechanism mechanism() {
        throw new UnsupportedOperationException("not used by the launcher");
    }
}
