package dev.vmwguest.hostsim;

import static dev.vmwguest.backdoor.Backdoor.HIGH_BANDWIDTH_PORT;
import static dev.vmwguest.backdoor.Backdoor.LOW_BANDWIDTH_PORT;
import static dev.vmwguest.backdoor.Backdoor.MAGIC;

import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SimulatedHost}'s two backdoor ports: supplies (or, with raw
 * registers, checks) the magic and the port, hands MESSAGE to the channel
 * table and every other command to {@link HostCommands}, counts, records the
 * transcript and overwrites registers in paranoid mode.
 */
final class BackdoorPorts {

    private static final int PARANOID_GARBAGE = 0xBAD0BAD0;

    private final HostProfile profile;
    private final boolean rawRegisters;
    private final boolean paranoid;
    private final CallCounters counters;
    private final Transcript transcript;
    private final MessageEngine messages;
    private final HostCommands commands;
    private final Supplier<Clock> clock;
    private final Runnable afterUnlock;

    BackdoorPorts(SimulatedHostBuilder settings, CallCounters counters, Transcript transcript, MessageEngine messages,
            HostCommands commands, Supplier<Clock> clock, Runnable afterUnlock) {
        this.profile = settings.profile();
        this.rawRegisters = settings.rawRegisters();
        this.paranoid = settings.paranoid();
        this.counters = counters;
        this.transcript = transcript;
        this.messages = messages;
        this.commands = commands;
        this.clock = clock;
        this.afterUnlock = afterUnlock;
    }

    void call(RegisterFrame frame) {
        counters.call();
        RegisterFrame in = transcript.enabled() ? new RegisterFrame().copyFrom(frame) : null;
        if (!rawRegisters) {
            frame.ax(MAGIC).dx(RegisterFrame.halves(RegisterFrame.high16(frame.dx()), LOW_BANDWIDTH_PORT));
        }
        int command = RegisterFrame.low16(frame.cx());
        if (frame.ax() != MAGIC || RegisterFrame.low16(frame.dx()) != LOW_BANDWIDTH_PORT) {
            // No backdoor here (QEMU's answer; real VMware's is not in the sources): CHOICE.
            frame.ax(BackdoorCommand.NOT_HANDLED);
        } else if (command == BackdoorCommand.MESSAGE && profile.guestRpc()) {
            messages.call(frame);
            if (paranoid) {
                frame.ax(PARANOID_GARBAGE);
            }
        } else if (!commands.answer(command, frame, clock.get())) {
            frame.ax(BackdoorCommand.NOT_HANDLED);
        }
        if (in != null) {
            transcript.record(TranscriptEntry.Kind.LOW_BANDWIDTH, in, frame, new byte[0], Notes.lowBandwidth(in, frame));
        }
        afterUnlock.run();
    }

    void send(RegisterFrame frame, ByteBuffer source) {
        counters.highBandwidth(true);
        RegisterFrame in = highBandwidthIn(frame, source.remaining());
        int moved = 0;
        if (highBandwidthAnswered(frame)) {
            moved = messages.send(frame, source);
            if (moved > 0) {
                frame.cx(0); // a completed rep leaves the count at zero
            }
            paranoidHighBandwidth(frame);
        }
        if (in != null) {
            byte[] payload = new byte[moved];
            source.get(source.position(), payload);
            transcript.record(TranscriptEntry.Kind.HIGH_BANDWIDTH_OUT, in, frame, payload, Notes.highBandwidth("out", in, frame));
        }
        afterUnlock.run();
    }

    void receive(RegisterFrame frame, ByteBuffer target) {
        if (target.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        counters.highBandwidth(false);
        RegisterFrame in = highBandwidthIn(frame, target.remaining());
        int moved = 0;
        if (highBandwidthAnswered(frame)) {
            moved = messages.receive(frame, target);
            if (moved > 0) {
                frame.cx(0);
            }
            paranoidHighBandwidth(frame);
        }
        if (in != null) {
            byte[] payload = new byte[moved];
            target.get(target.position(), payload);
            transcript.record(TranscriptEntry.Kind.HIGH_BANDWIDTH_IN, in, frame, payload, Notes.highBandwidth("in", in, frame));
        }
        afterUnlock.run();
    }

    private @Nullable RegisterFrame highBandwidthIn(RegisterFrame frame, int count) {
        if (!rawRegisters) {
            frame.ax(MAGIC).cx(count)
                    .dx(RegisterFrame.halves(RegisterFrame.high16(frame.dx()), HIGH_BANDWIDTH_PORT));
        }
        return transcript.enabled() ? new RegisterFrame().copyFrom(frame) : null;
    }

    private boolean highBandwidthAnswered(RegisterFrame frame) {
        if (frame.ax() != MAGIC || RegisterFrame.low16(frame.dx()) != HIGH_BANDWIDTH_PORT || !profile.guestRpc()) {
            frame.ax(BackdoorCommand.NOT_HANDLED);
            return false;
        }
        return true;
    }

    private void paranoidHighBandwidth(RegisterFrame frame) {
        if (paranoid) {
            frame.ax(PARANOID_GARBAGE).dx(PARANOID_GARBAGE).bp(PARANOID_GARBAGE);
        }
    }
}
