package dev.vmwguest.hostsim.internal;

import org.jspecify.annotations.Nullable;

/** The TCLO session of one pushed (vsock) connection; see {@link VsockHostSide#attachPushedTclo(int)}. */
public interface PushedTcloSession {

    /**
     * Takes the command to push next and records it as outstanding.
     *
     * @return its bytes, or null when nothing may be pushed now
     */
    byte @Nullable [] deliverNext();

    /**
     * The guest's reply to the outstanding command.
     *
     * @param reply  the reply bytes
     * @param length how many of them count
     */
    void received(byte[] reply, int length);

    /**
     * Whether the session must close (the guest attached an app name that is taken).
     *
     * @return true to close
     */
    boolean closePending();

    /** Ends the session: an outstanding command fails as on a closed channel. */
    void detach();
}
