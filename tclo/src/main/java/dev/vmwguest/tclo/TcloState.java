package dev.vmwguest.tclo;

/** Where a {@link TcloEvents} stands; see {@link TcloEvents#state()}. */
public enum TcloState {
    /** Built, not started. */
    NEW,
    /** A TCLO channel is open; waiting for the host's {@code reset}. */
    CONNECTING,
    /** The host took our {@code OK ATR <app>}: commands flow. */
    ATTACHED,
    /** The channel failed; it is reopened after a back-off. */
    RECOVERING,
    /** Another process holds the app name; polling stopped ({@link TcloAppConflictException}). Final. */
    CONFLICT,
    /**
     * Polling stopped ({@link TcloException}): the channel kept failing, the
     * host has no GuestRPC, or a fatal JVM error ended the loop (then the
     * exception's cause). Final.
     */
    FAILED,
    /** {@link TcloEvents#close()} was called. Final. */
    CLOSED;

    /**
     * Whether polling has ended for good.
     *
     * @return whether polling has ended for good
     */
    public boolean isFinal() {
        return this == CONFLICT || this == FAILED || this == CLOSED;
    }
}
