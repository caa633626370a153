package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A guest written from guestrpc-channel.md section 4 with raw register frames,
 * independent of the rpc module: one channel, no retries, every step visible. Public for the vsock tests.
 */
public final class RawGuest {

    static final int RPCI = 0x49435052;
    static final int TCLO = 0x4F4C4354;
    static final int COOKIE = 0x80000000;
    static final int SUCCESS = 0x0001;
    static final int DORECV = 0x0002;
    static final int CLOSED = 0x0004;
    static final int CPT = 0x0010;
    static final int HB = 0x0080;

    final Backdoor host;
    final RegisterFrame frame = new RegisterFrame();
    int id;
    int cookieHigh;
    int cookieLow;
    /** Status of the last SEND_SIZE / RECEIVE_SIZE. */
    int sizeStatus;

    RawGuest(Backdoor host) {
        this.host = host;
    }

    /** OPEN; on success remembers id and cookies. Returns the status. */
    int open(int protocolAndFlags) {
        frame.set(Backdoor.MAGIC, protocolAndFlags, 0x0000_001E, Backdoor.LOW_BANDWIDTH_PORT, 0, 0, 0);
        host.call(frame);
        int status = RegisterFrame.high16(frame.cx());
        if ((status & SUCCESS) != 0) {
            id = RegisterFrame.high16(frame.dx());
            cookieHigh = frame.si();
            cookieLow = frame.di();
        }
        return status;
    }

    static RawGuest opened(Backdoor host, int protocolAndFlags) {
        RawGuest guest = new RawGuest(host);
        int status = guest.open(protocolAndFlags);
        if ((status & SUCCESS) == 0) {
            throw new AssertionError("OPEN failed with status " + Integer.toHexString(status));
        }
        return guest;
    }

    /** One low-bandwidth MESSAGE call of {@code type} with {@code bx}; returns the status. */
    int lb(MessageType type, int bx) {
        frame.set(Backdoor.MAGIC, bx, RegisterFrame.halves(type.code(), 30),
                RegisterFrame.halves(id, Backdoor.LOW_BANDWIDTH_PORT), cookieHigh, cookieLow, 0);
        host.call(frame);
        return RegisterFrame.high16(frame.cx());
    }

    /** LE word of up to 4 bytes of {@code message} from {@code index}. */
    static int word(byte[] message, int index) {
        int word = 0;
        for (int k = 0; k < 4 && index + k < message.length; k++) {
            word |= (message[index + k] & 0xFF) << (8 * k);
        }
        return word;
    }

    /** SEND_SIZE then payload over whichever path the host offers (or LB when {@code forceLb}); returns last status. */
    int send(byte[] message, boolean forceLb) {
        sizeStatus = lb(MessageType.SEND_SIZE, message.length);
        if ((sizeStatus & SUCCESS) == 0 || message.length == 0) {
            return sizeStatus;
        }
        if ((sizeStatus & HB) != 0 && !forceLb) {
            return sendHb(message);
        }
        int status = SUCCESS;
        for (int i = 0; i < message.length && (status & SUCCESS) != 0; i += 4) {
            status = lb(MessageType.SEND_PAYLOAD, word(message, i));
        }
        return status;
    }

    int sendHb(byte[] message) {
        frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(id, Backdoor.HIGH_BANDWIDTH_PORT), 0,
                cookieLow, cookieHigh);
        host.send(frame, ByteBuffer.wrap(message));
        return RegisterFrame.high16(frame.bx());
    }

    /** RECEIVE_SIZE, payload, RECEIVE_STATUS 1; null when nothing was offered; throws on a failed step. */
    byte[] receive(boolean forceLb) {
        sizeStatus = lb(MessageType.RECEIVE_SIZE, 0);
        check(sizeStatus, "RECEIVE_SIZE");
        if ((sizeStatus & DORECV) == 0) {
            return null;
        }
        int length = frame.bx();
        byte[] message;
        if ((sizeStatus & HB) != 0 && !forceLb && length > 0) {
            message = new byte[length];
            frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(id, Backdoor.HIGH_BANDWIDTH_PORT),
                    cookieHigh, 0, cookieLow);
            host.receive(frame, ByteBuffer.wrap(message));
            check(RegisterFrame.high16(frame.bx()), "HB in");
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < length; i += 4) {
                check(lb(MessageType.RECEIVE_PAYLOAD, 1), "RECEIVE_PAYLOAD");
                int word = frame.bx();
                for (int k = 0; k < Math.min(4, length - i); k++) {
                    bytes.write(word >>> (8 * k));
                }
            }
            message = bytes.toByteArray();
        }
        check(lb(MessageType.RECEIVE_STATUS, 1), "RECEIVE_STATUS");
        return message;
    }

    /** One RPCI round trip on this channel; the reply as text. */
    String rpci(String request, boolean forceLb) {
        int status = send(request.getBytes(StandardCharsets.UTF_8), forceLb);
        check(status, "send");
        byte[] reply = receive(forceLb);
        if (reply == null) {
            throw new AssertionError("no reply to " + request);
        }
        return new String(reply, StandardCharsets.UTF_8);
    }

    String rpci(String request) {
        return rpci(request, false);
    }

    /** One TCLO poll iteration: send {@code reply} (empty = poll), then receive; the command or null. */
    String poll(String reply) {
        check(send(reply.getBytes(StandardCharsets.UTF_8), false), "TCLO send");
        byte[] command = receive(false);
        return command == null ? null : new String(command, StandardCharsets.UTF_8);
    }

    int close() {
        return lb(MessageType.CLOSE, 0);
    }

    private static void check(int status, String step) {
        if ((status & SUCCESS) == 0) {
            throw new AssertionError(step + " failed with status 0x" + Integer.toHexString(status));
        }
    }

    /** One-shot RPCI as vmware-rpctool does it: open (cookies), send, receive, close. */
    public static String oneShot(Backdoor host, String request) {
        RawGuest guest = opened(host, RPCI | COOKIE);
        try {
            return guest.rpci(request);
        } finally {
            guest.close();
        }
    }
}
