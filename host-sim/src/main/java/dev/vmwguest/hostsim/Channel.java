package dev.vmwguest.hostsim;

import org.jspecify.annotations.Nullable;

/**
 * One slot of the host's channel table and its message state machine
 * (shared/protocol/host-behaviour.md section 3). Guarded by its own monitor:
 * every field is read and written with {@code synchronized (channel)} held.
 */
final class Channel {

    static final int IDLE = 0;
    static final int SENDING = 1;
    static final int RECEIVING = 2;

    private static final byte[] EMPTY = new byte[0];

    final int id;
    final boolean tclo;
    final boolean cookies;
    final int cookieHigh;
    final int cookieLow;
    /** TCLO bookkeeping; null on RPCI channels. */
    final TcloQueue.@Nullable Session session;

    boolean alive = true;
    int state = IDLE;

    /** The guest's message being assembled: {@code incoming[0..expected)}, {@code received} bytes so far. */
    byte[] incoming = EMPTY;
    int expected;
    int received;

    /** The host's message waiting for the guest, or null; {@code given} bytes fetched so far. */
    byte @Nullable [] outgoing;
    /** The length RECEIVE_SIZE announced (differs from {@code outgoing.length} only under a fault). */
    long announced;
    int given;
    /** The TCLO command {@code outgoing} carries, if any. */
    TcloQueue.@Nullable Command offered;

    Channel(int id, boolean tclo, boolean cookies, int cookieHigh, int cookieLow, TcloQueue.@Nullable Session session) {
        this.id = id;
        this.tclo = tclo;
        this.cookies = cookies;
        this.cookieHigh = cookieHigh;
        this.cookieLow = cookieLow;
        this.session = session;
    }

    /** Cookies are checked only on channels opened with the cookie flag; flag-less guests echo anything. */
    boolean accepts(int high, int low) {
        return !cookies || (high == cookieHigh && low == cookieLow);
    }

    /** Starts assembling an {@code n}-byte guest message, reusing the buffer when it is big enough. */
    void startSending(int n) {
        if (incoming.length < n) {
            incoming = new byte[Math.max(n, Math.min(2 * incoming.length, 65_536))];
        }
        expected = n;
        received = 0;
        state = SENDING;
        given = 0;
    }

    /** A checkpoint: the message in flight restarts; queued host messages stay. */
    void checkpoint() {
        state = IDLE;
        received = 0;
        given = 0;
    }

    int outgoingLength() {
        byte[] message = outgoing;
        return message == null ? 0 : message.length;
    }
}
