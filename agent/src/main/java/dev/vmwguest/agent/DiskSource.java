package dev.vmwguest.agent;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A replaceable source of the guest's mounted file systems. */
@FunctionalInterface
public interface DiskSource {

    /** File system types reported by {@link #system()}: block-device file systems. */
    Set<String> DISK_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "exfat", "ntfs", "f2fs",
            "jfs", "reiserfs", "zfs");

    /**
     * Lists the file systems to report.
     *
     * @return the file systems
     * @throws IOException if they cannot be listed
     */
    List<DiskUsage> disks() throws IOException;

    /**
     * The JDK's file stores whose type is in {@link #DISK_TYPES}, one per device (the first mount).
     * Free bytes are those available to unprivileged users.
     *
     * @return the JDK-backed source
     */
    static DiskSource system() {
        return () -> {
            List<DiskUsage> result = new ArrayList<>();
            Set<String> devices = new HashSet<>();
            for (FileStore store : FileSystems.getDefault().getFileStores()) {
                if (!DISK_TYPES.contains(store.type()) || !devices.add(store.name())) {
                    continue;
                }
                String text = store.toString();
                int paren = text.lastIndexOf(" (");
                String mount = paren > 0 ? text.substring(0, paren) : text;
                if (!Files.isDirectory(Path.of(mount))) {
                    continue;
                }
                result.add(new DiskUsage(mount, store.getUsableSpace(), store.getTotalSpace(), store.type()));
            }
            return result;
        };
    }
}
