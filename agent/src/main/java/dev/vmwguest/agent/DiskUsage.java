package dev.vmwguest.agent;

import java.util.Objects;

/**
 * One mounted file system as reported in {@code SetGuestDiskInfo}.
 *
 * @param mountPoint     where it is mounted
 * @param freeBytes      bytes available
 * @param totalBytes     total size in bytes
 * @param fileSystemType the file system type, e.g. {@code ext4}, or empty
 */
public record DiskUsage(String mountPoint, long freeBytes, long totalBytes, String fileSystemType) {

    /**
     * Checks for nulls.
     *
     * @param mountPoint     where it is mounted
     * @param freeBytes      bytes available
     * @param totalBytes     total size in bytes
     * @param fileSystemType the file system type, e.g. {@code ext4}, or empty
     * @throws NullPointerException if a component is null
     */
    public DiskUsage {
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(fileSystemType, "fileSystemType");
    }
}
