package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.MALFORMED_TEXT;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.UNKNOWN_TYPE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The host's decoded record of the guest's reports: each accepted
 * {@code SetGuestInfo} and {@code SetGuestDiskInfo} is decoded on arrival and
 * replaces the fact it carries; one that does not decode leaves the fact as it
 * was and is recorded as a {@link GuestInfoDecodeError}. Nothing here throws
 * into the message path. Thread-safe: guarded by this object's monitor.
 */
final class GuestReports {

    private static final int MAX_ERRORS = 100;

    private @Nullable String hostName;
    private @Nullable GuestNetwork network;
    private @Nullable String shortName;
    private @Nullable String fullName;
    private @Nullable String detailedData;
    private Map<String, String> details = Map.of();
    private OptionalLong uptime = OptionalLong.empty();
    private @Nullable String buildNumber;
    private List<GuestView.Disk> disks = List.of();
    private final ArrayDeque<GuestInfoDecodeError> errors = new ArrayDeque<>();

    /** An accepted {@code SetGuestInfo  <type>} with its data (text types without the NUL). */
    synchronized void setGuestInfo(int type, byte[] data) {
        String report = "SetGuestInfo  " + type;
        try {
            switch (type) {
                case 1 -> hostName = text(data);
                case 2 -> network = NicInfoV1Decoder.decode(data);
                case 3 -> disks = DiskInfoDecoder.packed(data);
                case 4 -> buildNumber = text(data);
                case 5 -> fullName = text(data);
                case 6 -> shortName = text(data);
                case 7 -> uptime = OptionalLong.of(uptime(text(data)));
                case 8 -> {
                    // guest statistics: recorded raw by the engine, not part of the view
                }
                case 9 -> network = NicInfoXdrDecoder.decode(data, 9, NicInfoXdrDecoder.MAX_IPS_TYPE_9);
                case 10 -> network = NicInfoXdrDecoder.decode(data, 10, NicInfoXdrDecoder.MAX_IPS_V3);
                case 11 -> {
                    OsDetailedDecoder.Detailed os = OsDetailedDecoder.decode(data);
                    shortName = os.shortName();
                    fullName = os.fullName();
                    detailedData = os.detailedData();
                    details = os.details();
                }
                default -> throw new GuestInfoDecodeException(UNKNOWN_TYPE, -1, "type " + type
                        + " is not a GuestInfoType this host decodes");
            }
        } catch (GuestInfoDecodeException e) {
            record(e.toError(report));
        } catch (RuntimeException e) {
            // A decoder bug must not take the host down; it is reported like bad input.
            record(new GuestInfoDecodeError(report, GuestInfoDecodeError.Kind.BAD_VALUE, -1, String.valueOf(e)));
        }
    }

    /** An accepted {@code SetGuestDiskInfo <json>}. */
    synchronized void diskInfo(String json) {
        try {
            disks = DiskInfoDecoder.json(json);
        } catch (GuestInfoDecodeException e) {
            record(e.toError("SetGuestDiskInfo"));
        } catch (RuntimeException e) {
            record(new GuestInfoDecodeError("SetGuestDiskInfo", GuestInfoDecodeError.Kind.BAD_VALUE, -1,
                    String.valueOf(e)));
        }
    }

    /** The snapshot, with the facts that other parts of the host keep. */
    synchronized GuestView view(Optional<String> primaryIp, boolean toolsRunning, Optional<String> toolsVersion,
            Optional<String> installType, Set<String> capabilities) {
        GuestView.Os os = new GuestView.Os(Optional.ofNullable(shortName), Optional.ofNullable(fullName),
                Optional.ofNullable(detailedData), details);
        GuestView.Tools tools = new GuestView.Tools(toolsRunning, toolsVersion.map(GuestReports::unsigned)
                .filter(v -> v >= 0).map(OptionalLong::of).orElse(OptionalLong.empty()),
                installType.map(t -> (int) unsigned(t)).filter(t -> t >= 0).map(OptionalInt::of)
                        .orElse(OptionalInt.empty()), capabilities);
        return new GuestView(Optional.ofNullable(hostName), primaryIp, Optional.ofNullable(network), os, uptime,
                Optional.ofNullable(buildNumber), disks, tools, List.copyOf(errors));
    }

    private void record(GuestInfoDecodeError error) {
        if (errors.size() == MAX_ERRORS) {
            errors.removeFirst();
        }
        errors.addLast(error);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static long uptime(String text) {
        if (!text.matches("[0-9]{1,18}")) {
            throw new GuestInfoDecodeException(MALFORMED_TEXT, 0, "uptime '" + text
                    + "' is not a decimal count of hundredths of a second");
        }
        return Long.parseLong(text);
    }

    /** The engine accepted the version as a signed 32-bit decimal; the view shows it unsigned. -1: not a number. */
    private static long unsigned(String decimal) {
        try {
            return Integer.parseInt(decimal.trim()) & 0xFFFF_FFFFL;
        } catch (NumberFormatException e) {
            try {
                long value = Long.parseLong(decimal.trim());
                return value >= 0 && value <= 0xFFFF_FFFFL ? value : -1;
            } catch (NumberFormatException again) {
                return -1;
            }
        }
    }
}
