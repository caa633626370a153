package dev.vmwguest.agent;

import org.jspecify.annotations.Nullable;

/**
 * What the application does when the host asks for a power operation. A missing hook keeps the
 * TCLO library's default (halt and reboot refused, suspend and resume acknowledged).
 *
 * @param halt    runs after the host has been told the halt succeeded (graceful shutdown), or null
 * @param reboot  runs after the host has been told the reboot succeeded, or null
 * @param suspend runs before the host suspends the VM; false or an exception refuses, or null
 * @param resume  runs after the VM resumed, before the acknowledgement, or null
 */
public record PowerHooks(@Nullable Runnable halt, @Nullable Runnable reboot, @Nullable PowerHook suspend,
        @Nullable PowerHook resume) {

    /**
     * No hooks: the library's defaults.
     *
     * @return empty hooks
     */
    public static PowerHooks none() {
        return new PowerHooks(null, null, null, null);
    }

    /** A hook whose result decides the reply to the host. */
    @FunctionalInterface
    public interface PowerHook {

        /**
         * Prepares for or recovers from the operation.
         *
         * @return true if the operation may proceed (the host is told it succeeded)
         * @throws Exception to refuse; the host is told it failed
         */
        boolean run() throws Exception;
    }
}
