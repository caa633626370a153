package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.BAD_VALUE;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.MALFORMED_TEXT;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRAILING_BYTES;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRUNCATED;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes the disk reports (guest-info.md section 1.5): {@code SetGuestDiskInfo}
 * JSON ({@code {"version":"1","disks":[{"name":"<base64>","free":"<n>","size":"<n>",
 * "fstype":..., "devices":[...]}]}}, numbers as strings) and the packed
 * {@code SetGuestInfo} type 3 fallback (u8 count, 116-byte entries
 * {u64 free, u64 total, char name[100]}, little-endian, zero bytes may follow).
 */
final class DiskInfoDecoder {

    private static final int ENTRY_SIZE = 116;
    private static final int NAME_SIZE = 100;

    private DiskInfoDecoder() {
    }

    /** @throws GuestInfoDecodeException if it is not JSON of that shape; offsets are character positions */
    static List<GuestView.Disk> json(String text) {
        Object root = MiniJson.parse(text);
        if (!(root instanceof Map<?, ?> object) || !(object.get("disks") instanceof List<?> disks)) {
            throw new GuestInfoDecodeException(MALFORMED_TEXT, -1, "no \"disks\" array in the disk report");
        }
        Object version = object.get("version");
        if (version != null && !"1".equals(version)) {
            throw new GuestInfoDecodeException(BAD_VALUE, -1, "disk report version " + version + ", only 1 is known");
        }
        List<GuestView.Disk> result = new ArrayList<>(disks.size());
        for (Object element : disks) {
            if (!(element instanceof Map<?, ?> disk)) {
                throw new GuestInfoDecodeException(MALFORMED_TEXT, -1, "a disk that is not an object: " + element);
            }
            String name;
            try {
                name = new String(Base64.getDecoder().decode(text(disk, "name")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new GuestInfoDecodeException(BAD_VALUE, -1, "disk name is not base64: " + disk.get("name"));
            }
            Optional<String> fsType = disk.get("fstype") == null ? Optional.empty()
                    : Optional.of(text(disk, "fstype"));
            List<String> devices = new ArrayList<>();
            if (disk.get("devices") instanceof List<?> list) {
                for (Object device : list) {
                    devices.add(String.valueOf(device));
                }
            } else if (disk.get("devices") != null) {
                throw new GuestInfoDecodeException(MALFORMED_TEXT, -1, "disk devices is not an array");
            }
            result.add(new GuestView.Disk(name, bytes(disk, "free"), bytes(disk, "size"), fsType, devices));
        }
        return result;
    }

    /** @throws GuestInfoDecodeException if the count announces more entries than sent, or non-zero bytes follow */
    static List<GuestView.Disk> packed(byte[] payload) {
        if (payload.length < 1) {
            throw new GuestInfoDecodeException(TRUNCATED, 0, "no partition count");
        }
        int count = payload[0] & 0xFF;
        int end = 1 + count * ENTRY_SIZE;
        if (payload.length < end) {
            throw new GuestInfoDecodeException(TRUNCATED, payload.length, count + " partitions need " + end
                    + " bytes, got " + payload.length);
        }
        for (int i = end; i < payload.length; i++) {
            if (payload[i] != 0) {
                throw new GuestInfoDecodeException(TRAILING_BYTES, i, "non-zero byte after the partitions");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        List<GuestView.Disk> disks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int base = 1 + i * ENTRY_SIZE;
            long free = in.getLong(base);
            long total = in.getLong(base + 8);
            disks.add(new GuestView.Disk(NicInfoV1Decoder.cString(payload, base + 16, NAME_SIZE), free, total,
                    Optional.empty(), List.of()));
        }
        return disks;
    }

    private static String text(Map<?, ?> disk, String key) {
        if (!(disk.get(key) instanceof String value)) {
            throw new GuestInfoDecodeException(MALFORMED_TEXT, -1, "disk \"" + key + "\" is not a string: "
                    + disk.get(key));
        }
        return value;
    }

    /** vmtoolsd sends the numbers as strings; a plain JSON number is taken too. */
    private static long bytes(Map<?, ?> disk, String key) {
        Object value = disk.get(key);
        String digits = value instanceof MiniJson.JsonNumber n ? n.text() : value instanceof String s ? s : null;
        try {
            if (digits == null || !digits.matches("[0-9]{1,19}")) {
                throw new NumberFormatException();
            }
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new GuestInfoDecodeException(MALFORMED_TEXT, -1, "disk \"" + key + "\" is not a byte count: "
                    + value);
        }
    }
}
