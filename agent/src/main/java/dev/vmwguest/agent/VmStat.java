package dev.vmwguest.agent;

/**
 * The VM resource statistics of {@code guestlib.info.get} version 3, by id, with their units
 * (guest-info.md 6.3; open-vm-tools libguestlib/guestlibV3.x:51-109). Version 2 carries ids 1-18.
 */
public enum VmStat {
    /** CPU reservation. */ CPU_RESERVATION(1, Unit.MHZ),
    /** CPU limit. */ CPU_LIMIT(2, Unit.MHZ),
    /** CPU shares. */ CPU_SHARES(3, Unit.SHARES),
    /** CPU time used. */ CPU_USED(4, Unit.MILLISECONDS),
    /** Host processor speed. */ HOST_CPU_SPEED(5, Unit.MHZ),
    /** Memory reservation. */ MEM_RESERVATION(6, Unit.MEGABYTES),
    /** Memory limit. */ MEM_LIMIT(7, Unit.MEGABYTES),
    /** Memory shares. */ MEM_SHARES(8, Unit.SHARES),
    /** Mapped memory. */ MEM_MAPPED(9, Unit.MEGABYTES),
    /** Active memory. */ MEM_ACTIVE(10, Unit.MEGABYTES),
    /** Memory overhead. */ MEM_OVERHEAD(11, Unit.MEGABYTES),
    /** Ballooned memory. */ MEM_BALLOONED(12, Unit.MEGABYTES),
    /** Swapped memory. */ MEM_SWAPPED(13, Unit.MEGABYTES),
    /** Shared memory. */ MEM_SHARED(14, Unit.MEGABYTES),
    /** Memory saved by sharing. */ MEM_SHARED_SAVED(15, Unit.MEGABYTES),
    /** Memory used. */ MEM_USED(16, Unit.MEGABYTES),
    /** Time since power-on, resume or vMotion on this host. */ ELAPSED(17, Unit.MILLISECONDS),
    /** Resource pool path. */ RESOURCE_POOL_PATH(18, Unit.TEXT),
    /** Time runnable but not scheduled. */ CPU_STOLEN(19, Unit.MILLISECONDS),
    /** Memory target size. */ MEM_TARGET_SIZE(20, Unit.MEGABYTES),
    /** Host CPU cores. */ HOST_CPU_CORES(21, Unit.COUNT),
    /** Host CPU time used. */ HOST_CPU_USED(22, Unit.MILLISECONDS),
    /** Host memory swapped. */ HOST_MEM_SWAPPED(23, Unit.MEGABYTES),
    /** Host memory shared. */ HOST_MEM_SHARED(24, Unit.MEGABYTES),
    /** Host memory used. */ HOST_MEM_USED(25, Unit.MEGABYTES),
    /** Host physical memory. */ HOST_MEM_PHYS(26, Unit.MEGABYTES),
    /** Host free physical memory. */ HOST_MEM_PHYS_FREE(27, Unit.MEGABYTES),
    /** Host kernel overhead (deprecated since ESXi 7.1). */ HOST_MEM_KERNEL_OVERHEAD(28, Unit.MEGABYTES),
    /** Host mapped memory. */ HOST_MEM_MAPPED(29, Unit.MEGABYTES),
    /** Host unmapped memory. */ HOST_MEM_UNMAPPED(30, Unit.MEGABYTES),
    /** Zipped memory. */ MEM_ZIPPED(31, Unit.MEGABYTES),
    /** Memory saved by zipping. */ MEM_ZIP_SAVED(32, Unit.MEGABYTES),
    /** Memory swapped to host cache. */ MEM_LL_SWAPPED(33, Unit.MEGABYTES),
    /** Swap target. */ MEM_SWAP_TARGET(34, Unit.MEGABYTES),
    /** Balloon target. */ MEM_BALLOON_TARGET(35, Unit.MEGABYTES),
    /** Balloon maximum. */ MEM_BALLOON_MAX(36, Unit.MEGABYTES),
    /** Long resource pool path. */ RESOURCE_POOL_PATH_LONG(37, Unit.TEXT),
    /** Memory shares, 64-bit. */ MEM_SHARES_64(38, Unit.SHARES);

    /** What a value counts. */
    public enum Unit {
        /** Megahertz. */ MHZ,
        /** Megabytes. */ MEGABYTES,
        /** Milliseconds. */ MILLISECONDS,
        /** Shares. */ SHARES,
        /** A count. */ COUNT,
        /** Text, not a number. */ TEXT
    }

    private final int id;
    private final Unit unit;

    VmStat(int id, Unit unit) {
        this.id = id;
        this.unit = unit;
    }

    /**
     * The wire id.
     *
     * @return 1-38
     */
    public int id() {
        return id;
    }

    /**
     * The unit.
     *
     * @return the unit of the value
     */
    public Unit unit() {
        return unit;
    }

    /** Wire type in version 3: 32-bit, 64-bit, string or opaque. */
    char wireType() {
        return switch (id) {
            case 4, 17, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 38 -> 'L';
            case 18 -> 'S';
            case 37 -> 'O';
            default -> 'I';
        };
    }

    static VmStat of(int id) {
        return values()[id - 1];
    }
}
