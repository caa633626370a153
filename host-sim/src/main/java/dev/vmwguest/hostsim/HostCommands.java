package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.HostVersion;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The low-bandwidth commands other than MESSAGE (shared/protocol/host-behaviour.md
 * section 1.1, observed-clients.md). Registers a command does not define are
 * left unchanged; an unknown command sets {@code ax} to {@code 0xFFFFFFFF} and
 * nothing else. Stateless apart from the configuration; thread-safe.
 */
final class HostCommands {

    /** What QEMU's vmport answers (host-behaviour.md section 1.1). */
    private static final int QEMU_MEMSIZE_MARKER = 0x1177;

    private final HostFacts config;
    private final int[] uuidWords = new int[4];

    HostCommands(HostFacts config) {
        this.config = config;
        UUID uuid = config.biosUuid();
        // uuid.bios bytes 0..15 in text order; each register holds four of them little-endian,
        // the layout HostInfo.decodeBiosUuid reads (host-behaviour.md: "little-endian per register").
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).flip().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            uuidWords[i] = bytes.getInt();
        }
    }

    /** Answers {@code command}; false when the profile does not know it (the caller sets {@code ax}). */
    boolean answer(int command, RegisterFrame f, Clock clock) {
        boolean qemu = config.profile() == HostProfile.QEMU;
        if (qemu && command != BackdoorCommand.GETVERSION && command != BackdoorCommand.GETBIOSUUID
                && command != BackdoorCommand.GETMEMSIZE && command != BackdoorCommand.GETHZ
                && command != BackdoorCommand.GET_VCPU_INFO) {
            return false;
        }
        switch (command) {
            case BackdoorCommand.GETVERSION ->
                    f.ax(HostVersion.VMWARE_VERSION).bx(Backdoor.MAGIC).cx(config.profile().productType().code());
            case BackdoorCommand.GETMHZ -> f.ax(config.cpuMhz());
            case BackdoorCommand.GETSCREENSIZE -> f.ax(config.screenSize());
            case BackdoorCommand.GETHWVERSION -> f.ax(config.hardwareVersion()).bx(Backdoor.MAGIC);
            case BackdoorCommand.GETBIOSUUID -> f.ax(uuidWords[0]).bx(uuidWords[1]).cx(uuidWords[2]).dx(uuidWords[3]);
            case BackdoorCommand.GETMEMSIZE -> {
                if (qemu) {
                    f.ax((int) (config.memoryMb() * 1024L * 1024L)).bx(QEMU_MEMSIZE_MARKER);
                } else {
                    f.ax(config.memoryMb());
                }
            }
            case BackdoorCommand.GETTIME -> {
                Instant now = clock.instant();
                f.ax((int) now.getEpochSecond()).bx(now.getNano() / 1_000).cx(config.maxLagMicros());
            }
            case BackdoorCommand.GETTIMEFULL -> timeFull(f, clock.instant());
            case BackdoorCommand.GETTIMEFULL_WITH_LAG -> {
                if (!config.timeWithLag()) {
                    return false;
                }
                timeFull(f, clock.instant());
                f.di(config.interruptLagMicros());
            }
            case BackdoorCommand.GETHZ -> f.ax((int) config.tscHz()).bx((int) (config.tscHz() >>> 32))
                    .cx(config.apicBusHz());
            case BackdoorCommand.GET_VCPU_INFO -> f.ax(config.vcpuInfo());
            case BackdoorCommand.GETBUILDNUM -> f.ax(config.buildNumber());
            default -> {
                return false;
            }
        }
        return true;
    }

    /** ax stays the magic (the success signal); si:dx = seconds, bx = microseconds, cx = max lag. */
    private void timeFull(RegisterFrame f, Instant now) {
        long seconds = now.getEpochSecond();
        f.si((int) (seconds >>> 32)).dx((int) seconds).bx(now.getNano() / 1_000).cx(config.maxLagMicros());
    }
}
