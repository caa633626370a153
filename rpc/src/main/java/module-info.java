/**
 * The GuestRPC channel protocol (backdoor command 30, "MESSAGE") over any
 * {@link dev.vmwguest.backdoor.Backdoor}: open, send, receive, close, with
 * cookies, both bandwidth paths, every status bit and bounded checkpoint
 * retries.
 *
 * <p>{@code dev.vmwguest.rpc.transport} chooses between the backdoor channel
 * and transports plugged in through its {@code TransportProvider} SPI (vsock).
 *
 * <p>Byte-level only: strings, RPCI and TCLO commands belong to the layers
 * above. No native code and no simulator here.
 */
module dev.vmwguest.rpc {
    requires transitive dev.vmwguest.backdoor;
    requires static org.jspecify;

    exports dev.vmwguest.rpc;
    exports dev.vmwguest.rpc.transport;

    uses dev.vmwguest.rpc.transport.TransportProvider;
}
