package dev.vmwguest.bench;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A backdoor that records the host's answers to one operation and then plays
 * them back, in a loop, without allocating or computing anything: what is left
 * to measure is the client alone (its time and, with {@code -prof gc}, its
 * allocation). Playback checks that the client makes the same kind of access at
 * each step and fails loudly otherwise: it is only valid for an operation that
 * repeats exactly (same channel, same request).
 */
final class ReplayBackdoor implements Backdoor {

    private enum Access { CALL, SEND, RECEIVE }

    private final Backdoor host;
    private final List<Access> accesses = new ArrayList<>();
    private final List<int[]> answers = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private boolean replaying;
    private int next;

    ReplayBackdoor(Backdoor host) {
        this.host = host;
    }

    /** Forgets what was recorded so far (a warm-up operation), and keeps recording. */
    void restartRecording() {
        accesses.clear();
        answers.clear();
        received.clear();
    }

    /** Stops recording; from now on every access is answered from the recording, in order, cyclically. */
    void replay() {
        if (accesses.isEmpty()) {
            throw new IllegalStateException("nothing recorded");
        }
        replaying = true;
        next = 0;
    }

    @Override
    public void call(RegisterFrame frame) {
        if (replaying) {
            answer(Access.CALL, frame);
        } else {
            host.call(frame);
            record(Access.CALL, frame, null);
        }
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        if (replaying) {
            answer(Access.SEND, frame);
        } else {
            host.send(frame, source);
            record(Access.SEND, frame, null);
        }
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        if (replaying) {
            byte[] bytes = received.get(next);
            answer(Access.RECEIVE, frame);
            target.put(target.position(), bytes);
        } else {
            host.receive(frame, target);
            byte[] bytes = new byte[target.remaining()];
            target.get(target.position(), bytes);
            record(Access.RECEIVE, frame, bytes);
        }
    }

    @Override
    public BackdoorMechanism mechanism() {
        return host.mechanism();
    }

    private void record(Access access, RegisterFrame frame, byte[] bytes) {
        accesses.add(access);
        answers.add(new int[] {frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(), frame.di(), frame.bp()});
        received.add(bytes);
    }

    private void answer(Access access, RegisterFrame frame) {
        if (accesses.get(next) != access) {
            throw new IllegalStateException("replay out of step at access " + next + ": recorded "
                    + accesses.get(next) + ", client made " + access);
        }
        int[] r = answers.get(next);
        frame.set(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
        next = next + 1 == accesses.size() ? 0 : next + 1;
    }
}
