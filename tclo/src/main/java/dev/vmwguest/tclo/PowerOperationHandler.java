package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;

/**
 * The application's part in one host power operation ({@code OS_Halt},
 * {@code OS_Reboot}, ...), in VMware Tools' order (open-vm-tools
 * services/plugins/powerOps/powerOps.c:179-228): first {@link #prepare},
 * then the library sends {@code tools.os.statechange.status} to the host,
 * then, if the status was success, {@link #perform} runs, after the TCLO
 * reply has gone too. The host acts on the status (it may, for example,
 * suspend the VM as soon as it sees it), so the application's shutdown must
 * not start before the host has it.
 *
 * <pre>{@code
 * events.onPowerOperation(PowerState.HALT, new PowerOperationHandler() {
 *     public void prepare(PowerState state) throws Exception {
 *         app.checkCanStop();                    // throw to refuse: the host is told "failed"
 *     }
 *
 *     public void perform(PowerState state) {
 *         app.shutdownGracefully();              // runs after the host has the status
 *     }
 * });
 * }</pre>
 *
 * <p>A repeat of an operation whose previous attempt failed is reported as
 * success and performed even if {@link #prepare} fails again, so that a user
 * can force it (powerOps.c:189-201); this is what the
 * {@code softpowerop_retry} capability tells the host.
 *
 * <p>Both methods run on the TCLO thread: while they run, no command is
 * fetched. Hand long work (a shutdown that waits for requests to drain) to
 * another thread.
 */
@FunctionalInterface
public interface PowerOperationHandler {

    /**
     * Checks or prepares, before the host is told (vmtoolsd's power script).
     * The default does nothing.
     *
     * @param state the operation
     * @throws Exception to report failure: the host gets status 0 (unless this is a retry) and
     *         {@code ERROR <message>}
     */
    default void prepare(PowerState state) throws Exception {
    }

    /**
     * Carries out the operation, once the host has the success status and
     * the TCLO reply has been sent (or could not be). A failure here is logged.
     *
     * @param state the operation
     * @throws Exception if it could not be carried out
     */
    void perform(PowerState state) throws Exception;
}
