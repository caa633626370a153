package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.TransportKind;
import java.util.Objects;

/**
 * Why a transport was not used for a connection: a value for users to read,
 * log or test, not an error by itself.
 *
 * @param kind    the transport passed over
 * @param reason  the kind of refusal, for code
 * @param message one sentence for people, with the errno or host answer where there is one
 */
public record TransportRefusal(TransportKind kind, Reason reason, String message) {

    /** The kinds of refusal. */
    public enum Reason {
        /** The transport cannot work in this process: no AF_VSOCK ({@code EAFNOSUPPORT}), blocked by seccomp ({@code EPERM}), not VMware, no backdoor. */
        UNAVAILABLE,
        /** The kernel refused the privileged source port ({@code EACCES}): no root or {@code CAP_NET_BIND_SERVICE}. The only refusal after which the unprivileged vsock attempt follows. */
        PRIVILEGE_DENIED,
        /** The transport was tried and failed: connect reset or timed out, every port in use, no reply. */
        FAILED,
        /** Not tried because an earlier attempt decided it (open-vm-tools' rule: unprivileged vsock only after {@code EACCES}). */
        NOT_TRIED,
        /** Not tried: vsock failed recently and the back-off (2 s doubling to 300 s) has not expired. */
        BACKING_OFF,
        /** Does not apply to this protocol (a TCLO connection is never bound to a privileged port). */
        NOT_APPLICABLE,
        /** No provider for it is installed (the {@code vmwguest-vsock} module is not on the path). */
        NOT_INSTALLED,
        /** The selector offers no vsock at all: it was made to run on exactly one backdoor ({@link TransportSelector#over(dev.vmwguest.backdoor.Backdoor)}). */
        NOT_OFFERED;

        /**
         * Whether this refusal explains, by itself, why the transport could not
         * be used here (the machine, the kernel or the host said no), rather
         * than recording a rule, a back-off or an absent optional part.
         *
         * @return true for {@link #UNAVAILABLE}, {@link #PRIVILEGE_DENIED} and {@link #FAILED}
         */
        public boolean isDecisive() {
            return this == UNAVAILABLE || this == PRIVILEGE_DENIED || this == FAILED;
        }
    }

    /**
     * Validates the components.
     *
     * @param kind the transport refused
     * @param reason why, as a category
     * @param message what went wrong, in words for the user
     */
    public TransportRefusal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** {@code vsock-privileged refused (PRIVILEGE_DENIED): ...}. */
    @Override
    public String toString() {
        return kind + " refused (" + reason + "): " + message;
    }
}
