/**
 * The native VMware backdoor: one C function per trapping instruction
 * ({@code in}, {@code rep outsb}, {@code rep insb}, {@code vmcall},
 * {@code vmmcall}, the arm64 {@code mrs} form) behind JNA direct mapping, and
 * the detection that decides whether they may run at all.
 *
 * <p>Exports nothing: it is reached only through
 * {@link dev.vmwguest.backdoor.Backdoors#open()}, which finds
 * {@link dev.vmwguest.backdoor.jna.NativeBackdoorProvider} with
 * {@link java.util.ServiceLoader}. It holds no protocol logic (that is
 * {@code dev.vmwguest.rpc}'s) and never executes a trapping instruction in the
 * JVM's own process before CPUID says VMware and a probe in a child process has
 * answered.
 *
 * <p>On JDK 24 and later, allow JNA to load native code:
 * {@code --enable-native-access=com.sun.jna} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
module dev.vmwguest.backdoor.jna {
    requires dev.vmwguest.backdoor;
    requires com.sun.jna;
    requires static org.jspecify;

    provides dev.vmwguest.backdoor.spi.BackdoorProvider with dev.vmwguest.backdoor.jna.NativeBackdoorProvider;
}
