package dev.vmwguest.agent;

import dev.vmwguest.rpci.RpciReply;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends {@link GuestFacts} the way vmtoolsd's gather loop does (guest-info.md 1.4, 2.7, 3.3): in its
 * order (build number, OS, disks (JSON, else type 3), host name, NIC info, uptime), each item only when it differs from
 * what the host last accepted; type 11 falls back to 5 + 6, NIC info walks 10, 9, 9 (V2), 2 and
 * remembers what worked; {@link #forget()} (on {@code reset}) starts over. Not thread-safe: one caller.
 */
final class FactReporter {

    /** The NIC-info methods of vmtoolsd's fallback chain, in order. */
    enum NicMethod { V3, V3_64, V2, V1 }

    private final Function<byte[], RpciReply> rpci;
    private final @Nullable String buildNumber;
    private final Map<String, byte[]> accepted = new HashMap<>();
    private boolean osDetailedRefused;
    private NicMethod nicMethod = NicMethod.V3;
    private boolean diskJsonRefused;

    FactReporter(Function<byte[], RpciReply> rpci, @Nullable String buildNumber) {
        this.rpci = rpci;
        this.buildNumber = buildNumber;
    }

    /** After a {@code reset}: everything is sent again, type 11 and NIC V3 retried. */
    void forget() {
        accepted.clear();
        osDetailedRefused = false;
        nicMethod = NicMethod.V3;
        diskJsonRefused = false;
    }

    NicMethod nicMethod() {
        return nicMethod;
    }

    void report(GuestFacts facts, boolean reportDisks) {
        if (buildNumber != null) {
            sendIfChanged("4", GuestInfoMessages.text(4, buildNumber), true);
        }
        reportOs(facts.os());
        if (reportDisks) {
            byte[] json = GuestInfoMessages.diskInfo(facts.disks());
            if (!diskJsonRefused && !sendIfChanged("disk", json, true) && !Arrays.equals(accepted.get("disk"), json)) {
                diskJsonRefused = true;
            }
            if (diskJsonRefused) {
                sendIfChanged("disk", GuestInfoMessages.diskFreeSpace(facts.disks()), true);
            }
        }
        sendIfChanged("1", GuestInfoMessages.text(1, facts.hostName()), true);
        reportNics(facts.network());
        sendIfChanged("7", GuestInfoMessages.text(7, Long.toString(facts.uptimeHundredths())), true);
    }

    private void reportOs(OsIdentity os) {
        if (!osDetailedRefused) {
            byte[] detailed = GuestInfoMessages.binary(11, os.detailedPayload());
            if (Arrays.equals(accepted.get("11"), detailed) || sendIfChanged("11", detailed, false)) {
                return;
            }
            osDetailedRefused = true;
        }
        sendIfChanged("5", GuestInfoMessages.text(5, os.fullName()), true);
        sendIfChanged("6", GuestInfoMessages.text(6, os.shortName()), true);
    }

    private void reportNics(NetworkInfo network) {
        NicMethod start = nicMethod;
        for (NicMethod method : NicMethod.values()) {
            if (method.ordinal() < start.ordinal()) {
                continue;
            }
            byte[] request = switch (method) {
                case V3 -> GuestInfoMessages.binary(10, NicInfoEncoder.v3(network, NicInfoEncoder.MAX_IPS_V3));
                case V3_64 -> GuestInfoMessages.binary(9, NicInfoEncoder.v3(network, NicInfoEncoder.MAX_IPS_V2));
                case V2 -> GuestInfoMessages.binary(9, NicInfoEncoder.v2(network));
                case V1 -> GuestInfoMessages.binary(2, NicInfoEncoder.v1(network));
            };
            if (Arrays.equals(accepted.get("nic"), request) || sendIfChanged("nic", request, false)) {
                nicMethod = method;
                return;
            }
        }
        nicMethod = NicMethod.V3;   // all refused: start over next cycle, as vmtoolsd does
    }

    /** Sends unless the host already accepted these bytes; true if sent and accepted. */
    private boolean sendIfChanged(String slot, byte[] request, boolean emptyResultRequired) {
        if (Arrays.equals(accepted.get(slot), request)) {
            return false;
        }
        RpciReply reply = rpci.apply(request);
        boolean ok = reply.success() && (!emptyResultRequired || reply.length() == 0);
        if (ok) {
            accepted.put(slot, request);
        }
        return ok;
    }
}
