package dev.vmwguest.tclo;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.HostTime;
import dev.vmwguest.backdoor.RegisterFrame;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import dev.vmwguest.rpci.RpciRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TcloEventsBuilder} collects, with its defaults and the
 * validation of names; {@link TcloEvents} assembles its parts from it.
 * The last four settings are seams for tests: a scripted host
 * ({@link #connections}), recorded RPCI ({@link #rpciSender}), a fixed host
 * clock and a manual loop clock.
 */
final class TcloSettings {

    final String appName;
    @Nullable TransportSelector transports;
    @Nullable RpciClient rpci;
    RpciOptions rpciOptions = RpciOptions.defaults();
    RpcChannelOptions channelOptions = RpcChannelOptions.defaults();
    TcloPolling polling = TcloPolling.defaults();
    int conflictResets = 5;
    ClockAdjuster clockAdjuster = ClockAdjuster.reportOnly();
    Clock clock = Clock.systemUTC();
    Consumer<TcloStateChange> listener = change -> { };
    System.Logger logger = System.getLogger(TcloEvents.class.getName());
    @Nullable ThreadFactory threadFactory;
    Duration closeTimeout = Duration.ofSeconds(5);
    int toolsVersion = RpciRequest.SetToolsVersion.UNMANAGED;
    @Nullable List<TcloDispatcher.Capability> capabilities;
    boolean unifiedLoop = true;
    @Nullable Supplier<RpcConnection> connections;
    @Nullable RpciSender rpciSender;
    @Nullable Supplier<Optional<HostTime>> hostClock;
    LoopClock loopClock = LoopClock.SYSTEM;

    TcloSettings(String appName) {
        Objects.requireNonNull(appName, "appName");
        if (!isWord(appName)) {
            throw new IllegalArgumentException("TCLO app name '" + appName
                    + "' must be one word of printable ASCII, e.g. " + TcloEvents.TOOLBOX);
        }
        this.appName = appName;
    }

    /** The selector given, else the process's policy (read now, at build time). */
    TransportSelector transports() {
        TransportSelector given = transports;
        return given != null ? given : TransportSelector.forThisProcess();
    }

    ThreadFactory threadFactory() {
        ThreadFactory given = threadFactory;
        return given != null ? given : TcloThreads.defaultFactory(appName);
    }

    List<TcloDispatcher.Capability> capabilities() {
        List<TcloDispatcher.Capability> given = capabilities;
        // What vmtoolsd's powerOps plugin registers: soft power operations are possible, and may be retried.
        return given != null ? List.copyOf(given) : List.of(new TcloDispatcher.Capability("statechange", null),
                new TcloDispatcher.Capability("softpowerop_retry", null));
    }

    RpciSender rpciSender(TransportSelector selected) {
        RpciSender given = rpciSender;
        RpciOptions options = rpciOptions;
        return given != null ? given : RpciSender.over(rpci, () -> RpciClient.open(selected, options));
    }

    /**
     * The host's clock: GETTIMEFULL on the selector's backdoor, which answers
     * whatever transport carries TCLO (vsock included); looked up on the first
     * time sync, so an instance that never syncs never touches the backdoor.
     */
    Supplier<Optional<HostTime>> hostClock(TransportSelector selected) {
        Supplier<Optional<HostTime>> given = hostClock;
        if (given != null) {
            return given;
        }
        RegisterFrame frame = new RegisterFrame();   // used on the TCLO thread only
        return new Supplier<>() {
            private @Nullable Optional<Backdoor> backdoor;

            @Override
            public Optional<HostTime> get() {
                Optional<Backdoor> found = backdoor;
                if (found == null) {
                    found = selected.backdoor();
                    backdoor = found;
                }
                return found.flatMap(b -> HostTime.query(b, frame));
            }
        };
    }

    List<TcloDispatcher.Capability> capabilityList() {
        List<TcloDispatcher.Capability> list = capabilities;
        if (list == null) {
            list = new ArrayList<>();
            capabilities = list;
        }
        return list;
    }

    static String word(String name) {
        if (!isWord(name)) {
            throw new IllegalArgumentException("capability name '" + name + "' must be one word of printable ASCII");
        }
        return name;
    }

    private static boolean isWord(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
