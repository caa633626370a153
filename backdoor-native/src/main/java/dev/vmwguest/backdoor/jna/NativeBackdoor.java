package dev.vmwguest.backdoor.jna;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The real backdoor: each call executes one trapping instruction of the native
 * stub ({@code in}, {@code rep outsb}/{@code rep insb}, {@code vmcall},
 * {@code vmmcall}, or the arm64 {@code mrs} form), chosen once by
 * {@link #mechanism()}.
 *
 * <p>Obtain one from {@link NativeBackdoorProvider} (through
 * {@link dev.vmwguest.backdoor.Backdoors#open()}), which creates it only after
 * detection said VMware and a probe answered; constructed any other way, its
 * first call would crash the JVM on a machine that is not VMware.
 *
 * <p>Thread-safe and allocation-free per call: each thread has its own native
 * frame ({@link Scratch}). The stub loads the magic into {@code ax} and the port
 * or hypercall flags into the low half of {@code dx}; for {@link #send} and
 * {@link #receive} the byte count and buffer address come from the buffer,
 * never from the frame, so the host can neither read nor write outside it.
 * Direct buffers are passed in place; heap buffers are copied through a
 * per-thread native area (one extra copy, no allocation once it has grown).
 * Each call costs one VM exit on VMware plus roughly 60 ns of JNA.
 */
public final class NativeBackdoor implements Backdoor {

    private final BackdoorMechanism mechanism;

    /**
     * @throws IllegalArgumentException for {@link BackdoorMechanism#SIMULATED}
     */
    NativeBackdoor(BackdoorMechanism mechanism) {
        if (mechanism == BackdoorMechanism.SIMULATED) {
            throw new IllegalArgumentException("the native backdoor cannot be " + mechanism);
        }
        this.mechanism = mechanism;
    }

    @Override
    public void call(RegisterFrame frame) {
        Scratch scratch = Scratch.get();
        scratch.load(frame);
        switch (mechanism) {
            case VMCALL -> BackdoorStub.vmcallLb(scratch.frame);
            case VMMCALL -> BackdoorStub.vmmcallLb(scratch.frame);
            default -> BackdoorStub.ioLb(scratch.frame);
        }
        scratch.store(frame);
    }

    @Override
    public void send(RegisterFrame frame, ByteBuffer source) {
        Objects.requireNonNull(source, "source");
        Scratch scratch = Scratch.get();
        int count = source.remaining();
        ByteBuffer memory = source;
        if (!source.isDirect()) {
            memory = scratch.copyArea(count);
            memory.put(0, source, source.position(), count);
        }
        scratch.load(frame);
        switch (mechanism) {
            case VMCALL -> BackdoorStub.vmcallHbOut(scratch.frame, memory, count);
            case VMMCALL -> BackdoorStub.vmmcallHbOut(scratch.frame, memory, count);
            default -> BackdoorStub.ioHbOut(scratch.frame, memory, count);
        }
        scratch.store(frame);
    }

    @Override
    public void receive(RegisterFrame frame, ByteBuffer target) {
        Objects.requireNonNull(target, "target");
        if (target.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        Scratch scratch = Scratch.get();
        int count = target.remaining();
        boolean direct = target.isDirect();
        ByteBuffer memory = direct ? target : scratch.copyArea(count);
        scratch.load(frame);
        switch (mechanism) {
            case VMCALL -> BackdoorStub.vmcallHbIn(scratch.frame, memory, count);
            case VMMCALL -> BackdoorStub.vmmcallHbIn(scratch.frame, memory, count);
            default -> BackdoorStub.ioHbIn(scratch.frame, memory, count);
        }
        scratch.store(frame);
        if (!direct) {
            target.put(target.position(), memory, 0, count);
        }
    }

    @Override
    public BackdoorMechanism mechanism() {
        return mechanism;
    }

    @Override
    public String toString() {
        return "NativeBackdoor[" + mechanism + ", " + BackdoorStub.libraryName() + "]";
    }
}
