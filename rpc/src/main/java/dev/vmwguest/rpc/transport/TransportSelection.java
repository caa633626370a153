package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.TransportKind;
import java.util.List;
import java.util.Optional;

/**
 * Which transport a connection uses and why the ones before it were not
 * used: the observable outcome of applying a {@link TransportPolicy}.
 *
 * @param protocol  the channel's protocol (RPCI or TCLO)
 * @param chosen    the transport used; empty when every one was refused
 * @param refusals  the transports passed over, in policy order
 */
public record TransportSelection(RpcProtocol protocol, Optional<TransportKind> chosen,
        List<TransportRefusal> refusals) {

    /**
     * Copies the refusals.
     *
     * @param protocol the channel's protocol (RPCI or TCLO)
     * @param chosen the transport used; empty when every one was refused
     * @param refusals the transports passed over, in policy order
     */
    public TransportSelection {
        refusals = List.copyOf(refusals);
    }

    /**
     * The refusal recorded for {@code kind}, if it was passed over.
     *
     * @param kind the transport
     * @return the refusal recorded for {@code kind}, if it was passed over
     */
    public Optional<TransportRefusal> refusal(TransportKind kind) {
        return refusals.stream().filter(r -> r.kind() == kind).findFirst();
    }

    /** One line per transport: {@code RPCI over vsock; passed over: vsock-privileged (PRIVILEGE_DENIED): ...}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(protocol.toString());
        text.append(chosen.map(kind -> " over " + kind).orElse(": no transport"));
        for (TransportRefusal refusal : refusals) {
            text.append(System.lineSeparator()).append("  ").append(refusal);
        }
        return text.toString();
    }
}
