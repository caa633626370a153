package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcProtocol;
import java.util.Optional;

/**
 * The TCLO channel as the poll loop sees it: one send, one receive, close.
 * Exists so that the loop can be tested against a scripted channel; in
 * production it is an {@link RpcChannel}.
 */
interface TcloTransport extends AutoCloseable {

    /** Sends one message (empty = poll). Throws the rpc layer's exceptions; the transport is then dead. */
    void send(byte[] message);

    /** The host's next command, if any. Throws as {@link #send}. */
    Optional<byte[]> receive();

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
        return () -> {
            RpcChannel channel = RpcChannel.open(backdoor, RpcProtocol.TCLO, options);
            return new TcloTransport() {
                @Override
                public void send(byte[] message) {
                    channel.send(message);
                }

                @Override
                public Optional<byte[]> receive() {
                    return channel.receive();
                }

                @Override
                public void close() {
                    channel.close();
                }
            };
        };
    }
}
