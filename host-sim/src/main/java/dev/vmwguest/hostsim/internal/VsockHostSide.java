package dev.vmwguest.hostsim.internal;

import org.jspecify.annotations.Nullable;

/**
 * What the simulator's vsock side needs from its simulated host: the RPCI
 * interpreter, the TCLO queue and the host's reset. Implemented by the
 * simulator; not exported, so users never see it.
 */
public interface VsockHostSide {

    /**
     * Interprets one RPCI request as the backdoor side does.
     *
     * @param request    the request bytes
     * @param length     how many of them count
     * @param privileged whether the connection came from a privileged source port (secure RPC)
     * @return the reply, or null when an injected fault withholds it
     */
    byte @Nullable [] processRpci(byte[] request, int length, boolean privileged);

    /** Completes TCLO futures and power-operation results; call after releasing every lock. */
    void runAfterUnlock();

    /**
     * Attaches a pushed TCLO connection (ready for {@code reset} at once).
     *
     * @param channel the channel id its exchanges are recorded under
     * @return the connection's TCLO session
     */
    PushedTcloSession attachPushedTclo(int channel);

    /**
     * Runs {@code listener} after every queued TCLO command, so that a pusher wakes.
     *
     * @param listener what to run
     */
    void addTcloListener(Runnable listener);

    /**
     * Stops running {@code listener}.
     *
     * @param listener a listener added before
     */
    void removeTcloListener(Runnable listener);

    /**
     * Runs {@code onReset} on every host reset until the returned action is run.
     *
     * @param onReset what a host reset does to the caller
     * @return the action that unregisters it
     */
    Runnable onHostReset(Runnable onReset);
}
