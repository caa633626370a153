package dev.vmwguest.vsock;

import java.util.Optional;

/**
 * The Linux error numbers the vsock transport acts on, each with what it means
 * here (transports.md section 1.7). Numbers are Linux's generic ones, the same
 * on x86-64 and arm64.
 */
enum VsockErrno {

    /** {@code socket()}: a seccomp profile forbids family 40 (Docker/containerd default since Dec 2022). */
    EPERM(1),
    /** A signal interrupted the call; retried. */
    EINTR(4),
    /** A non-blocking call would block (internal). */
    EAGAIN(11),
    /** {@code bind()} to a port below 1024 without {@code CAP_NET_BIND_SERVICE}: the only trigger for the unprivileged attempt. */
    EACCES(13),
    /** No transport for that CID, or no VMCI transport for datagrams. */
    ENODEV(19),
    /** Bad argument (an address the kernel does not accept). */
    EINVAL(22),
    /** Protocol option not known (an older kernel without the new connect-timeout option). */
    ENOPROTOOPT(92),
    /** {@code socket()}: this kernel has no vsock at all (or this is not Linux). */
    EAFNOSUPPORT(97),
    /** {@code bind()}: the port is taken; the privileged search moves one port down. */
    EADDRINUSE(98),
    /** {@code bind()}: the CID is not this machine's. */
    EADDRNOTAVAIL(99),
    /** {@code connect()}: the host refused (port pair still being released, vsock RPC disabled, nothing listening). */
    ECONNRESET(104),
    /** {@code connect()}: the kernel ran out of vsockets; retried after 1 ms, at most 5 times. */
    ENOBUFS(105),
    /** {@code connect()}: nobody answered within the connect timeout (2 s by default): not VMware. */
    ETIMEDOUT(110),
    /** Connection refused (the Unix-socket stand-in; real vsock answers ECONNRESET). */
    ECONNREFUSED(111);

    private final int number;

    VsockErrno(int number) {
        this.number = number;
    }

    /**
     * The Linux errno value.
     *
     * @return the Linux errno value
     */
    public int number() {
        return number;
    }

    /**
     * The constant for a Linux errno value, if it is one this transport names.
     *
     * @param number the errno value
     * @return the constant for a Linux errno value, if it is one this transport names
     */
    public static Optional<VsockErrno> of(int number) {
        for (VsockErrno errno : values()) {
            if (errno.number == number) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code EACCES} for a known number, {@code errno 42} for any other.
     *
     * @param number the errno value
     * @return {@code EACCES} for a known number, {@code errno 42} for any other
     */
    public static String describe(int number) {
        return of(number).map(VsockErrno::name).orElse("errno " + number);
    }
}
