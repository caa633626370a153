package dev.vmwguest.rpci;

/**
 * How the guest's tools were installed, with the number
 * {@code tools.set.versiontype} reports (rpci.md section 2.3,
 * open-vm-tools' {@code vm_tools_version.h}).
 */
public enum ToolsInstallType {
    /** Not known. */
    UNKNOWN(0),
    /** The Windows installer. */
    MSI(1),
    /** VMware's Linux tarball. */
    TARBALL(2),
    /** Operating System Specific Packages. */
    OSP(3),
    /** open-vm-tools, or another guest-managed implementation. */
    OPEN_VM_TOOLS(4);

    private final int code;

    ToolsInstallType(int code) {
        this.code = code;
    }

    /**
     * The number on the wire.
     *
     * @return the number on the wire
     */
    public int code() {
        return code;
    }
}
