package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.LIMIT_EXCEEDED;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.TRUNCATED;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes {@code SetGuestInfo} type 2, the native {@code GuestNicInfoV1} struct
 * (guest-info.md section 2.7): u32 NIC count, then 16 entries of 152 bytes
 * {u32 numIPs, char mac[19], char ip[8][16], 1 pad byte}, little-endian.
 *
 * <p>Only the first {@code numNicEntries} entries and the first {@code numIPs}
 * slots of each are read: vmtoolsd sends the struct from an uninitialised stack
 * variable (open-vm-tools guestInfoServer.c:1179), so the bytes beyond are
 * garbage, as its run under the trap launcher shows. (It also writes each IPv4
 * text at the index the address had in its V3 list while {@code numIPs} counts
 * only IPv4 ones, so with an IPv6 address listed first its IPv4 text lies
 * beyond {@code numIPs}; a host reading the struct this way misses it.)
 */
final class NicInfoV1Decoder {

    static final int MAX_NICS = 16;
    static final int MAX_IPS = 8;
    static final int ENTRY_SIZE = 152;
    static final int STRUCT_SIZE = 4 + MAX_NICS * ENTRY_SIZE;
    private static final int MAC_OFFSET = 4;
    private static final int MAC_SIZE = 19;
    private static final int IP_OFFSET = MAC_OFFSET + MAC_SIZE;
    private static final int IP_SIZE = 16;

    private NicInfoV1Decoder() {
    }

    /** @throws GuestInfoDecodeException if the struct is short or a count is out of range */
    static GuestNetwork decode(byte[] payload) {
        if (payload.length < STRUCT_SIZE) {
            throw new GuestInfoDecodeException(TRUNCATED, payload.length, "GuestNicInfoV1 needs " + STRUCT_SIZE
                    + " bytes, got " + payload.length);
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        long nicCount = in.getInt(0) & 0xFFFF_FFFFL;
        if (nicCount > MAX_NICS) {
            throw new GuestInfoDecodeException(LIMIT_EXCEEDED, 0, "numNicEntries " + nicCount + " > " + MAX_NICS);
        }
        List<GuestNetwork.Nic> nics = new ArrayList<>();
        for (int n = 0; n < nicCount; n++) {
            int base = 4 + n * ENTRY_SIZE;
            long ipCount = in.getInt(base) & 0xFFFF_FFFFL;
            if (ipCount > MAX_IPS) {
                throw new GuestInfoDecodeException(LIMIT_EXCEEDED, base, "numIPs " + ipCount + " > " + MAX_IPS);
            }
            String mac = cString(payload, base + MAC_OFFSET, MAC_SIZE);
            List<GuestNetwork.Address> addresses = new ArrayList<>();
            for (int i = 0; i < ipCount; i++) {
                String ip = cString(payload, base + IP_OFFSET + i * IP_SIZE, IP_SIZE);
                addresses.add(new GuestNetwork.Address(ip, 1, OptionalInt.empty(), OptionalInt.empty(),
                        OptionalInt.empty(), Optional.empty()));
            }
            nics.add(new GuestNetwork.Nic(mac, addresses, Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty()));
        }
        return new GuestNetwork(2, 1, nics, List.of(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty());
    }

    static String cString(byte[] bytes, int offset, int size) {
        int end = offset;
        while (end < offset + size && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
