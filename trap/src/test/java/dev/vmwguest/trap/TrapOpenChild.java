package dev.vmwguest.trap;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorUnavailableException;
import dev.vmwguest.backdoor.Backdoors;

/**
 * The child JVM of {@link TrapGetVersionTest}: opens the native backdoor and prints
 * {@code opened=MECHANISM} or {@code refused=REASON} and {@code message=...}. Run under the trap launcher.
 */
public final class TrapOpenChild {

    private TrapOpenChild() {
    }

    /** Opens the backdoor once; no arguments. */
    public static void main(String[] args) {
        try {
            Backdoor backdoor = Backdoors.open();
            System.out.println("opened=" + backdoor.mechanism());
        } catch (BackdoorUnavailableException refused) {
            System.out.println("refused=" + refused.reason());
            System.out.println("message=" + refused.getMessage());
        }
    }
}
