package dev.vmwguest.cli;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the calls that pass through to another backdoor, so the demo can show
 * what each step costs on a real host as well as on the simulated one (where
 * every call is a VM exit on real hardware).
 */
final class CountingBackdoor implements Backdoor {

    private final Backdoor target;
    private final LongAdder calls = new LongAdder();

    CountingBackdoor(Backdoor target) {
        this.target = target;
    }

    long calls() {
        return calls.sum();
    }

    @Override
    public void call(RegisterFrame frame) {
        calls.increment();
        target.call(frame);
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        calls.increment();
        target.send(frame, source);
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        calls.increment();
        this.target.receive(frame, target);
    }

    @Override
    public BackdoorMechanism mechanism() {
        return target.mechanism();
    }
}
