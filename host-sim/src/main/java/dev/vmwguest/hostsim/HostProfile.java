package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.ProductType;

/**
 * Which kind of host the simulator plays (shared/protocol/host-behaviour.md
 * sections 1.1 and 4).
 */
public enum HostProfile {
    /** A current ESXi host: GETVERSION product type 2, 128 channels, every RPCI in rpci.md. */
    ESX(ProductType.ESX, true, true, 128),
    /** A current Workstation/Fusion host: as {@link #ESX} with product type 4. */
    WORKSTATION(ProductType.WORKSTATION, true, true, 128),
    /**
     * A host from before July 2022: 8 channels, and the newer RPCIs
     * ({@code tools.set.versiontype}, {@code vmx.capability.unified_loop},
     * {@code guest.log.state}) answer {@code 0 Unknown command}, so guests take
     * their fallbacks.
     */
    OLD_ESX(ProductType.ESX, true, false, 8),
    /**
     * QEMU's {@code vmport}: only GETVERSION, GETBIOSUUID, GETMEMSIZE (in bytes), GETHZ and
     * GET_VCPU_INFO are answered; MESSAGE and the high-bandwidth port are absent
     * ({@code ax} := {@code 0xFFFFFFFF}, every other register unchanged).
     */
    QEMU(ProductType.ESX, false, false, 0);

    private final ProductType productType;
    private final boolean guestRpc;
    private final boolean modernRpci;
    private final int defaultChannelLimit;

    HostProfile(ProductType productType, boolean guestRpc, boolean modernRpci, int defaultChannelLimit) {
        this.productType = productType;
        this.guestRpc = guestRpc;
        this.modernRpci = modernRpci;
        this.defaultChannelLimit = defaultChannelLimit;
    }

    /**
     * The product type GETVERSION reports in {@code cx}.
     *
     * @return the product type GETVERSION reports in {@code cx}
     */
    public ProductType productType() {
        return productType;
    }

    /**
     * Whether MESSAGE (GuestRPC) is implemented at all.
     *
     * @return whether MESSAGE (GuestRPC) is implemented at all
     */
    public boolean guestRpc() {
        return guestRpc;
    }

    /**
     * Whether the newer RPCIs are known (false: they answer {@code 0 Unknown command}).
     *
     * @return whether the newer RPCIs are known (false
     */
    public boolean modernRpci() {
        return modernRpci;
    }

    /**
     * The channel limit used unless the builder sets one.
     *
     * @return the channel limit used unless the builder sets one
     */
    public int defaultChannelLimit() {
        return defaultChannelLimit;
    }
}
