/**
 * The trap launcher: runs an unmodified program (VMware's
 * {@code vmware-rpctool}, {@code vmtoolsd}, a JVM using the native backdoor)
 * under a small ptrace supervisor, {@code vmwtrap}, that traps its backdoor
 * port I/O and hands each access to a {@link dev.vmwguest.backdoor.Backdoor},
 * usually the simulated host of {@code dev.vmwguest.hostsim}. Start with
 * {@link dev.vmwguest.trap.TrapLauncher}.
 *
 * <p>It depends on the backdoor contract only, so any {@code Backdoor} can
 * answer; the simulator does not depend on it. The supervisor is C, built
 * into this jar on Linux x86-64 with gcc; elsewhere
 * {@link dev.vmwguest.trap.TrapLauncher#isSupported()} is false.
 */
module dev.vmwguest.trap {
    requires transitive dev.vmwguest.backdoor;
    // transitive: public signatures carry @Nullable (javac -Xlint:exports); still optional at run time
    requires static transitive org.jspecify;

    exports dev.vmwguest.trap;
}
