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

    static String describe(TransportSelection selection) {
        StringBuilder text = new StringBuilder();
        for (TransportRefusal refusal : selection.refusals()) {
            text.append(text.length() == 0 ? "" : "; ").append(refusal);
        }
        return text.toString();
    }
}
