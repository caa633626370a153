package dev.vmwguest.agent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The exact RPCI requests vmtoolsd sends for guest facts (guest-info.md 1.2, 1.5): text types with
 * {@code SetGuestInfo  <type> <value>} and a trailing NUL; binary types with the preamble and the
 * payload, nothing appended.
 */
public final class GuestInfoMessages {

    private static final int DISK_NAME_BYTES = 100;
    private static final int DISK_ENTRY_BYTES = 16 + DISK_NAME_BYTES;

    private GuestInfoMessages() {
    }

    /**
     * A text {@code SetGuestInfo} (types 1, 4, 5, 6, 7), NUL-terminated as vmtoolsd sends it.
     *
     * @param type  the guest info type
     * @param value the text
     * @return the request bytes
     */
    public static byte[] text(int type, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("SetGuestInfo  " + type + " " + value).getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return out.toByteArray();
    }

    /**
     * A binary {@code SetGuestInfo} (types 2, 3, 9, 10, 11): preamble, then the payload.
     *
     * @param type    the guest info type
     * @param payload the payload
     * @return the request bytes
     */
    public static byte[] binary(int type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 17);
        out.writeBytes(("SetGuestInfo  " + type + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * {@code SetGuestDiskInfo} with vmtoolsd's JSON layout (mount points base64, numbers as strings),
     * NUL-terminated; the {@code devices} list vmtoolsd adds from sysfs is not sent.
     *
     * @param disks the file systems
     * @return the request bytes
     */
    public static byte[] diskInfo(List<DiskUsage> disks) {
        StringBuilder json = new StringBuilder("SetGuestDiskInfo {\n\"version\":\"1\",\n\"disks\":[\n");
        for (int i = 0; i < disks.size(); i++) {
            DiskUsage d = disks.get(i);
            json.append("{\"name\":\"").append(Base64.getEncoder().encodeToString(
                    d.mountPoint().getBytes(StandardCharsets.UTF_8))).append("\",\"free\":\"").append(d.freeBytes())
                    .append("\",\"size\":\"").append(d.totalBytes()).append('"');
            if (!d.fileSystemType().isEmpty()) {
                json.append(",\"fstype\":\"").append(d.fileSystemType()).append('"');
            }
            json.append(i + 1 < disks.size() ? "},\n" : "}\n");
        }
        json.append("]}");
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    /**
     * {@code SetGuestInfo  3}, the disk report vmtoolsd falls back to when {@code SetGuestDiskInfo} is
     * refused (guest-info.md 1.5): a count byte (at most 255 entries), packed little-endian entries
     * {u64 free, u64 total, char name[100]}, and the two zero bytes vmtoolsd's length allowance adds.
     * Mount points longer than 99 bytes are cut there (vmtoolsd aborts on them).
     *
     * @param disks the file systems
     * @return the request bytes
     */
    public static byte[] diskFreeSpace(List<DiskUsage> disks) {
        int count = Math.min(disks.size(), 255);
        ByteBuffer payload = ByteBuffer.allocate(1 + DISK_ENTRY_BYTES * count + 2).order(ByteOrder.LITTLE_ENDIAN);
        payload.put((byte) count);
        for (DiskUsage d : disks.subList(0, count)) {
            byte[] name = d.mountPoint().getBytes(StandardCharsets.UTF_8);
            payload.putLong(d.freeBytes()).putLong(d.totalBytes())
                    .put(name, 0, Math.min(name.length, DISK_NAME_BYTES - 1))
                    .position(payload.position() + DISK_NAME_BYTES - Math.min(name.length, DISK_NAME_BYTES - 1));
        }
        return binary(3, payload.array());
    }

    /**
     * {@code info-set guestinfo.ip <address>} with a trailing NUL, as vmtoolsd answers {@code broadcastIP}.
     *
     * @param primaryIp the address text, possibly empty
     * @return the request bytes
     */
    public static byte[] broadcastIp(String primaryIp) {
        return text0("info-set guestinfo.ip " + primaryIp);
    }

    private static byte[] text0(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }
}
