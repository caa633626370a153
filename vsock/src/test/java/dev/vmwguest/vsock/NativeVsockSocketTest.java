package dev.vmwguest.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The JNA binding against the real kernel, without ever connecting: a connect
 * to CID 0 or 2 here would reach this machine's own hypervisor. Only
 * {@code socket()} and {@code bind()} run, and only to CID_ANY.
 */
class NativeVsockSocketTest {

    @Test
    void libcBindsOnLinux() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "AF_VSOCK is Linux only");

        assertThat(LibC.loadFailure()).isEmpty();
    }

    @Test
    void aRealSocketIsCreatedOrRefusedWithAnErrnoThatMeansUnavailable() {
        assumeTrue(LibC.loadFailure().isEmpty(), "libc not bound here");
        VsockSocket socket;
        try {
            socket = NativeVsockSocket.factory(VsockSettings.KERNEL_CONNECT_TIMEOUT).open();
        } catch (ErrnoException refused) {
            // A kernel without vsock, or a container's seccomp profile.
            assertThat(refused.errno()).get().isIn(VsockErrno.EAFNOSUPPORT, VsockErrno.EPERM);
            return;
        }
        socket.close();
        socket.close();   // idempotent: the descriptor is not closed twice
    }

    @Test
    void aSecondBindOnTheSameSocketFailsWithEinvalThroughJnasSavedErrno() throws Exception {
        assumeTrue(LibC.loadFailure().isEmpty(), "libc not bound here");
        VsockSocket socket;
        try {
            socket = NativeVsockSocket.factory(VsockSettings.KERNEL_CONNECT_TIMEOUT).open();
        } catch (ErrnoException noVsock) {
            assumeTrue(false, "no AF_VSOCK here: " + noVsock.getMessage());
            return;
        }
        try (socket) {
            // An unprivileged port the kernel picks: never a connect, never a privileged port.
            socket.bind(SockaddrVm.CID_ANY, SockaddrVm.PORT_ANY);

            assertThatThrownBy(() -> socket.bind(SockaddrVm.CID_ANY, SockaddrVm.PORT_ANY))
                    .isInstanceOfSatisfying(ErrnoException.class,
                            e -> assertThat(e.errno()).contains(VsockErrno.EINVAL))
                    .hasMessageContaining("bind(port 4294967295) failed: EINVAL");
        }
    }

    @Test
    void errnoNumbersAreLinuxsGenericOnes() {
        assertThat(VsockErrno.of(97)).contains(VsockErrno.EAFNOSUPPORT);
        assertThat(VsockErrno.of(13)).contains(VsockErrno.EACCES);
        assertThat(VsockErrno.of(98)).contains(VsockErrno.EADDRINUSE);
        assertThat(VsockErrno.of(104)).contains(VsockErrno.ECONNRESET);
        assertThat(VsockErrno.of(105)).contains(VsockErrno.ENOBUFS);
        assertThat(VsockErrno.of(110)).contains(VsockErrno.ETIMEDOUT);
        assertThat(VsockErrno.of(1)).contains(VsockErrno.EPERM);
        assertThat(VsockErrno.of(12345)).isEmpty();
        assertThat(VsockErrno.describe(12345)).isEqualTo("errno 12345");
        assertThat(new ErrnoException("connect", 4).is(VsockErrno.EINTR)).isTrue();
    }

    @Test
    void theBindCapabilityIsBitTenOfCapEff() {
        assertThat(BindCapability.parse(java.util.List.of("Name:\tjava", "CapEff:\t0000000000000400")))
                .contains(true);
        assertThat(BindCapability.parse(java.util.List.of("CapEff:\t00000000000003ff"))).contains(false);
        assertThat(BindCapability.parse(java.util.List.of("CapEff:\t000001ffffffffff"))).contains(true);
        assertThat(BindCapability.parse(java.util.List.of("CapEff:\tzz"))).isEmpty();
        assertThat(BindCapability.parse(java.util.List.of("Name:\tjava"))).isEmpty();
    }
}
