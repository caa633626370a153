package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.TransportKind;
import java.util.Optional;
import java.util.Set;

/**
 * A transport that needs more than the backdoor (native code, a socket
 * family the JDK lacks). Found with {@link java.util.ServiceLoader}: list the
 * implementation under {@code provides} in {@code module-info} and in
 * {@code META-INF/services}. The {@code vmwguest-vsock} module provides the
 * vsock transports.
 *
 * <p>Implementations are thread-safe and cheap to construct; the work
 * happens in {@link #open}.
 */
public interface TransportProvider {

    /**
     * The transports this provider opens.
     *
     * @return the transports this provider opens
     */
    Set<TransportKind> kinds();

    /**
     * Why {@code kind} cannot be used for {@code protocol} here, found
     * without connecting anywhere (for {@code vmwguest detect}); empty when
     * an attempt would be made.
     *
     * @param kind the transport to check
     * @param protocol RPCI or TCLO
     * @param policy the policy in force (whether the user named {@code kind} explicitly)
     * @return the refusal, or empty when an attempt would be made
     */
    Optional<TransportRefusal> check(TransportKind kind, RpcProtocol protocol, TransportPolicy policy);

    /**
     * Connects {@code kind} for {@code protocol}.
     *
     * @param kind the transport to connect
     * @param protocol RPCI or TCLO
     * @param policy the policy in force
     * @param options the channel options for a backdoor fallback and message limits
     * @return the open connection
     * @throws TransportRefusedException when the transport is unavailable or the attempt failed;
     *         {@link TransportRefusal.Reason#PRIVILEGE_DENIED} only for a refused privileged bind
     */
    RpcConnection open(TransportKind kind, RpcProtocol protocol, TransportPolicy policy,
            RpcChannelOptions options);
}
