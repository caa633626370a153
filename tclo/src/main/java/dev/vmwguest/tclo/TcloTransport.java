package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportSelection;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The TCLO channel as the loop sees it: one send, one receive, close.
 * Exists so that the loop can be tested against a scripted channel; in
 * production it is an {@link RpcConnection}: a backdoor {@link RpcChannel},
 * which is polled, or a vsock connection, on which the host pushes.
 */
interface TcloTransport extends AutoCloseable {

    /** Sends one message (empty = poll). Throws the rpc layer's exceptions; the transport is then dead. */
    void send(byte[] message);

    /** The host's next command, if any. Throws as {@link #send}. */
    Optional<byte[]> receive();

    /**
     * Whether the host pushes commands (vsock): then the loop sends only
     * replies, never empty polls, and does not pause, because
     * {@link #receive()} itself waits up to the heartbeat interval.
     */
    default boolean pushes() {
        return false;
    }

    /** Closes best-effort; never throws. */
    @Override
    void close();

    /** Opens transports; throws {@link dev.vmwguest.rpc.RpcOpenException} when the host refuses. */
    @FunctionalInterface
    interface Opener {
        TcloTransport open();
    }

    /** Real TCLO channels on {@code backdoor}. */
    static Opener channels(Backdoor backdoor, RpcChannelOptions options) {
        return connections(() -> RpcChannel.open(backdoor, RpcProtocol.TCLO, options));
    }

    /** TCLO connections from {@code selector}; each selection is passed to {@code selected}. */
    static Opener selected(TransportSelector selector, RpcChannelOptions options,
            Consumer<TransportSelection> selected) {
        return connections(() -> {
            try {
                return selector.open(RpcProtocol.TCLO, options);
            } finally {
                selector.lastSelection().ifPresent(selected);
            }
        });
    }

    /** Adapts connections from {@code opener}. */
    static Opener connections(Supplier<RpcConnection> opener) {
        return () -> {
            RpcConnection connection = opener.get();
            return new TcloTransport() {
                @Override
                public void send(byte[] message) {
                    connection.send(message);
                }

                @Override
                public Optional<byte[]> receive() {
                    return connection.receive();
                }

                @Override
                public boolean pushes() {
                    return connection.hostPushes();
                }

                @Override
                public void close() {
                    connection.close();
                }
            };
        };
    }
}
