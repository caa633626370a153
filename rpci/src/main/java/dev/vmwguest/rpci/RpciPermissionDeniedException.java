package dev.vmwguest.rpci;

import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportPolicy;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The VM's policy restricts the command to privileged callers
 * ({@code guest_rpc.rpci.auth.cmd.<command> = "TRUE"} in the VM's
 * configuration) and the host answered {@code 0 Permission denied}. Only a
 * vsock connection from a source port below 1024 is privileged
 * (transports.md 1.8); the backdoor and unprivileged vsock never are. The
 * message says which transport the refused command used and what to change:
 * run as root or with {@code CAP_NET_BIND_SERVICE} and a policy that includes
 * privileged vsock ({@link TransportPolicy#privilegedOnly()},
 * {@code -Dvmwguest.transport=privileged}), or have a vSphere administrator
 * lift the restriction.
 */
public final class RpciPermissionDeniedException extends RpciException {

    private static final long serialVersionUID = 1L;

    /** The host's reply text for a restricted command. */
    public static final String PERMISSION_DENIED = "Permission denied";

    private final transient Optional<TransportKind> transport;

    RpciPermissionDeniedException(String command, @Nullable String key, String reason,
            Optional<TransportKind> transport) {
        super(command, key, reason, "RPCI command '" + command + "'" + forKey(key)
                + " is restricted by VM policy (host says \"" + reason + "\"): " + advice(command, transport));
        this.transport = transport;
    }

    /**
     * The transport that carried the refused command, when known.
     *
     * @return the transport that carried the refused command, when known
     */
    public Optional<TransportKind> transport() {
        return transport;
    }

    private static String advice(String command, Optional<TransportKind> transport) {
        if (transport.filter(kind -> kind == TransportKind.VSOCK_PRIVILEGED).isPresent()) {
            return "refused even over a privileged vsock connection; a vSphere administrator must lift "
                    + "guest_rpc.rpci.auth.cmd." + command;
        }
        return "the VM option guest_rpc.rpci.auth.cmd." + command + " allows it only over a privileged "
                + "transport, and this command went over " + transport.map(TransportKind::configName).orElse("a "
                + "non-privileged transport") + ", which never is; use privileged vsock (" + TransportPolicy.PROPERTY
                + "=privileged, as root or with CAP_NET_BIND_SERVICE)";
    }
}
