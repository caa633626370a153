package dev.vmwguest.backdoor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Facts about the host read through the backdoor: version and product, host
 * time, BIOS UUID and processor speed.
 *
 * <pre>{@code
 * HostInfo info = HostInfo.query(Backdoors.open());
 * System.out.println(info.version().productType() + " " + info.biosUuid().orElse(null));
 * }</pre>
 *
 * @param version  GETVERSION's answer
 * @param time     host time, when the host answers any time command
 * @param biosUuid the BIOS UUID, when answered
 * @param cpuMhz   the processor speed in MHz, when answered
 */
public record HostInfo(HostVersion version, Optional<HostTime> time, Optional<UUID> biosUuid, OptionalInt cpuMhz) {

    /**
     * Reads every fact: four to six backdoor calls.
     *
     * @param backdoor the backdoor to make the calls through
     * @return the host's version, product, clock, BIOS UUID and CPU speed, as far as it reports them
     * @throws BackdoorUnavailableException if GETVERSION is not answered as a VMware host answers it
     */
    public static HostInfo query(Backdoor backdoor) {
        RegisterFrame frame = new RegisterFrame();
        HostVersion version = HostVersion.query(backdoor, frame);
        Optional<HostTime> time = HostTime.query(backdoor, frame);
        backdoor.call(frame.command(BackdoorCommand.GETBIOSUUID));
        Optional<UUID> uuid = decodeBiosUuid(frame);
        backdoor.call(frame.command(BackdoorCommand.GETMHZ));
        return new HostInfo(version, time, uuid, decodeMhz(frame));
    }

    /**
     * Decodes GETBIOSUUID's registers: {@code ax, bx, cx, dx}, each stored
     * little-endian, are bytes 0..15, printed in that order (as VMware writes
     * {@code uuid.bios}). Pure.
     *
     * @param out the registers GETBIOSUUID returned
     * @return empty when the host left the request registers in place and {@code ax} is
     *         {@code 0xFFFFFFFF} or still the magic, i.e. did not handle the command
     */
    public static Optional<UUID> decodeBiosUuid(RegisterFrame out) {
        if ((out.ax() == BackdoorCommand.NOT_HANDLED || out.ax() == Backdoor.MAGIC)
                && out.cx() == BackdoorCommand.GETBIOSUUID
                && out.dx() == Backdoor.LOW_BANDWIDTH_PORT) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(out.ax()).putInt(out.bx()).putInt(out.cx()).putInt(out.dx()).flip();
        bytes.order(ByteOrder.BIG_ENDIAN);
        return Optional.of(new UUID(bytes.getLong(), bytes.getLong()));
    }

    /**
     * Decodes GETMHZ's {@code ax}. Pure.
     *
     * @param out the registers GETMHZ returned
     * @return empty for 0, the magic (nothing answered) or {@code 0xFFFFFFFF} (unknown command)
     */
    public static OptionalInt decodeMhz(RegisterFrame out) {
        int ax = out.ax();
        return ax == 0 || ax == Backdoor.MAGIC || ax == BackdoorCommand.NOT_HANDLED
                ? OptionalInt.empty() : OptionalInt.of(ax);
    }
}
