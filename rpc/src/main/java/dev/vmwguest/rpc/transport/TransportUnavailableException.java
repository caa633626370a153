package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.RpcException;

/**
 * Every transport of the policy was refused. {@link #selection()} lists each
 * refusal; the first refusal's exception is the cause, the others are
 * suppressed.
 */
public class TransportUnavailableException extends RpcException {

    private static final long serialVersionUID = 1L;

    private final transient TransportSelection selection;

    /**
     * An exception for {@code selection}, which chose nothing.
     *
     * @param selection the selection that found no usable transport
     */
    public TransportUnavailableException(TransportSelection selection) {
        this("no transport for " + selection.protocol() + ": " + describe(selection), selection);
    }

    TransportUnavailableException(String message, TransportSelection selection) {
        super(message);
        this.selection = selection;
    }

    /**
     * What was tried and why each transport was refused.
     *
     * @return what was tried and why each transport was refused
     */
    public TransportSelection selection() {
        return selection;
    }

    /** Worth retrying when some refusal was a failure that may clear (a reset, a timeout, a back-off). */
    @Override
    public boolean isRetryable() {
        return selection.refusals().stream().anyMatch(r -> r.reason() == TransportRefusal.Reason.FAILED
                || r.reason() == TransportRefusal.Reason.BACKING_OFF);
    }

    /**
     * The refusals, the decisive ones first (e.g. the backdoor's "not
     * VMware"), then rules and back-offs, and an optional part that is simply
     * absent last; policy order within each group.
     */
    static String describe(TransportSelection selection) {
        StringBuilder text = new StringBuilder();
        for (int rank = 0; rank < 3; rank++) {
            for (TransportRefusal refusal : selection.refusals()) {
                if (rank(refusal.reason()) == rank) {
                    text.append(text.length() == 0 ? "" : "; ").append(refusal);
                }
            }
        }
        return text.toString();
    }

    private static int rank(TransportRefusal.Reason reason) {
        if (reason.isDecisive()) {
            return 0;
        }
        return reason == TransportRefusal.Reason.NOT_INSTALLED || reason == TransportRefusal.Reason.NOT_OFFERED ? 2 : 1;
    }
}
