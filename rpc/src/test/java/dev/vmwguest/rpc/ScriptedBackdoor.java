package dev.vmwguest.rpc;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A backdoor that answers from a script, one answer per call, and records
 * every input frame: for exact register layouts, one layer below the
 * simulated host.
 */
final class ScriptedBackdoor implements Backdoor {

    /** One recorded call: its kind, the input registers and, for high-bandwidth sends, the bytes. */
    record Call(String kind, RegisterFrame in, byte[] payload) {
    }

    private final Deque<Consumer<RegisterFrame>> lowBandwidthAnswers = new ArrayDeque<>();
    private final Deque<byte[]> highBandwidthReplies = new ArrayDeque<>();
    private final Deque<Integer> highBandwidthStatuses = new ArrayDeque<>();
    final List<Call> calls = new ArrayList<>();

    /** Queues the answer to the next low-bandwidth call: a change to the frame. */
    ScriptedBackdoor answer(Consumer<RegisterFrame> answer) {
        lowBandwidthAnswers.add(answer);
        return this;
    }

    /** Queues the status word (high half of bx) of the next high-bandwidth call. */
    ScriptedBackdoor highBandwidthStatus(int status) {
        highBandwidthStatuses.add(status);
        return this;
    }

    /** Queues the bytes the next high-bandwidth receive writes. */
    ScriptedBackdoor highBandwidthReply(byte[] bytes) {
        highBandwidthReplies.add(bytes);
        return this;
    }

    @Override
    public void call(RegisterFrame frame) {
        calls.add(new Call("in", RegisterFrame.of(frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(),
                frame.di(), frame.bp()), new byte[0]));
        Consumer<RegisterFrame> answer = lowBandwidthAnswers.poll();
        if (answer == null) {
            throw new AssertionError("unscripted low-bandwidth call " + frame);
        }
        answer.accept(frame);
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        byte[] bytes = new byte[source.remaining()];
        source.duplicate().get(bytes);
        frame.cx(source.remaining());
        calls.add(new Call("rep outsb", copy(frame), bytes));
        frame.bx(nextHighBandwidthStatus() << 16);
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        frame.cx(target.remaining());
        calls.add(new Call("rep insb", copy(frame), new byte[0]));
        byte[] reply = highBandwidthReplies.poll();
        if (reply != null) {
            target.duplicate().put(reply);
        }
        frame.bx(nextHighBandwidthStatus() << 16);
    }

    @Override
    public BackdoorMechanism mechanism() {
        return BackdoorMechanism.SIMULATED;
    }

    private int nextHighBandwidthStatus() {
        Integer status = highBandwidthStatuses.poll();
        return status == null ? MessageStatus.SUCCESS : status;
    }

    private static RegisterFrame copy(RegisterFrame frame) {
        return new RegisterFrame().copyFrom(frame);
    }
}
