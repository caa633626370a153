/**
 * The VMware backdoor contract: {@link dev.vmwguest.backdoor.Backdoor}, its
 * reusable {@link dev.vmwguest.backdoor.RegisterFrame}, command numbers, typed
 * host facts ({@link dev.vmwguest.backdoor.HostInfo}), detection and provider
 * selection ({@link dev.vmwguest.backdoor.Backdoors}).
 *
 * <p>This module holds no native code and depends on nothing but the JDK: the
 * port-I/O stub lives in {@code dev.vmwguest.backdoor.jna} and the simulated
 * host in {@code dev.vmwguest.hostsim}, both plugged in through
 * {@link dev.vmwguest.backdoor.spi.BackdoorProvider}.
 */
module dev.vmwguest.backdoor {
    requires static org.jspecify;

    exports dev.vmwguest.backdoor;
    exports dev.vmwguest.backdoor.spi;

    uses dev.vmwguest.backdoor.spi.BackdoorProvider;
}
