package dev.vmwguest.rpci;

/**
 * The VM's policy restricts the command to privileged callers
 * ({@code guest_rpc.rpci.auth.cmd.<command> = "TRUE"} in the VM's
 * configuration), and backdoor callers are never privileged: the host
 * answered {@code 0 Permission denied}. Running as root does not help; a
 * vSphere administrator must lift the restriction (or the call must go over a
 * privileged vsock connection).
 */
public final class RpciPermissionDeniedException extends RpciException {

    private static final long serialVersionUID = 1L;

    /** The host's reply text for a restricted command. */
    public static final String PERMISSION_DENIED = "Permission denied";

    RpciPermissionDeniedException(String command, String reason) {
        super(command, reason, "RPCI command '" + command + "' is restricted by VM policy (host says \"" + reason
                + "\"): the VM option guest_rpc.rpci.auth.cmd." + command + " allows it only over a privileged "
                + "transport; root does not help");
    }
}
