package dev.vmwguest.backdoor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A tiny host for decoder tests: answers low-bandwidth calls by command number
 * (the low half of {@code cx}, fact sheet section 1) with handlers the test
 * supplies, and answers every other command as QEMU's vmport does for an
 * unsupported one: {@code ax = 0xFFFFFFFF}, every other register unchanged.
 * A call without the magic in {@code ax} is not answered at all.
 */
final class FakeHost implements Backdoor {

    static final int MAGIC = 0x564D5868;
    static final int NOT_HANDLED = 0xFFFFFFFF;

    private final Map<Integer, Consumer<RegisterFrame>> answers = new HashMap<>();
    /** Command numbers in call order. */
    final List<Integer> commands = new ArrayList<>();
    /** Copies of the frames as they came in. */
    final List<RegisterFrame> inputs = new ArrayList<>();

    FakeHost answer(int command, Consumer<RegisterFrame> handler) {
        answers.put(command, handler);
        return this;
    }

    @Override
    public void call(RegisterFrame frame) {
        int command = frame.cx() & 0xFFFF;
        commands.add(command);
        inputs.add(new RegisterFrame().copyFrom(frame));
        if (frame.ax() != MAGIC) {
            return;
        }
        Consumer<RegisterFrame> handler = answers.get(command);
        if (handler == null) {
            frame.ax(NOT_HANDLED);
        } else {
            handler.accept(frame);
        }
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        throw new UnsupportedOperationException("no high-bandwidth port on the fake host");
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        throw new UnsupportedOperationException("no high-bandwidth port on the fake host");
    }

    @Override
    public BackdoorMechanism mechanism() {
        return BackdoorMechanism.SIMULATED;
    }
}
