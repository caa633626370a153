package dev.vmwguest.hostsim;

import dev.vmwguest.hostsim.internal.PushedTcloSession;
import dev.vmwguest.hostsim.internal.VsockHostSide;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** A {@link SimulatedHost}'s state as its vsock side sees it: the same RPCI interpreter and TCLO queue. */
final class SimulatedVsockSide implements VsockHostSide {

    private final SimulatedHost host;
    private final RpciEngine rpci;
    private final TcloQueue tclo;
    private final List<Runnable> resets = new CopyOnWriteArrayList<>();

    SimulatedVsockSide(SimulatedHost host, RpciEngine rpci, TcloQueue tclo) {
        this.host = host;
        this.rpci = rpci;
        this.tclo = tclo;
    }

    @Override
    public byte @Nullable [] processRpci(byte[] request, int length, boolean privileged) {
        return rpci.process(request, length, privileged);
    }

    @Override
    public void runAfterUnlock() {
        host.runAfterUnlock();
    }

    @Override
    public PushedTcloSession attachPushedTclo(int channel) {
        TcloQueue.Session session = tclo.attachPushed(channel);
        return new PushedTcloSession() {
            @Override
            public byte @Nullable [] deliverNext() {
                TcloQueue.Command command = tclo.next(session);
                if (command == null) {
                    return null;
                }
                tclo.delivered(session, command);
                return command.bytes();
            }

            @Override
            public void received(byte[] reply, int length) {
                tclo.received(session, reply, length);
            }

            @Override
            public boolean closePending() {
                return tclo.closePending(session);
            }

            @Override
            public void detach() {
                tclo.detach(session, null);
            }
        };
    }

    @Override
    public void addTcloListener(Runnable listener) {
        tclo.addEnqueueListener(listener);
    }

    @Override
    public void removeTcloListener(Runnable listener) {
        tclo.removeEnqueueListener(listener);
    }

    @Override
    public Runnable onHostReset(Runnable onReset) {
        resets.add(onReset);
        return () -> resets.remove(onReset);
    }

    /** {@link SimulatedHost#resetHost()}: the vsock side closes its connections. */
    void hostReset() {
        resets.forEach(Runnable::run);
    }
}
