package dev.vmwguest.hostsim;

import java.util.Optional;
import java.util.TreeSet;

/** {@link GuestView#format()}: one fact per line, NICs and routes indented. */
final class GuestViewText {

    private GuestViewText() {
    }

    static String format(GuestView view) {
        StringBuilder out = new StringBuilder("guest view:\n");
        line(out, "host name", view.hostName());
        line(out, "primary IP", view.primaryIp());
        view.network().ifPresentOrElse(network -> {
            out.append("  network (SetGuestInfo ").append(network.reportType()).append(", version ")
                    .append(network.version()).append("):\n");
            for (int i = 0; i < network.nics().size(); i++) {
                GuestNetwork.Nic nic = network.nics().get(i);
                out.append("    nic ").append(i).append(' ').append(nic.macAddress()).append(':');
                nic.addresses().forEach(a -> out.append(' ').append(a));
                out.append('\n');
            }
            for (GuestNetwork.Route route : network.routes()) {
                out.append("    route ").append(route.destination()).append('/').append(route.prefixLength())
                        .append(route.nextHop().map(hop -> " via " + hop).orElse("")).append(" nic ")
                        .append(route.nicIndex()).append(" metric ").append(route.metric()).append('\n');
            }
            network.dns().ifPresent(dns -> out.append("    dns host ").append(dns.hostName().orElse("-"))
                    .append(" domain ").append(dns.domainName().orElse("-")).append(" servers ")
                    .append(dns.servers()).append(" search ").append(dns.searchSuffixes()).append('\n'));
        }, () -> out.append("  network: (not reported)\n"));
        line(out, "OS short name", view.os().shortName());
        line(out, "OS full name", view.os().fullName());
        line(out, "OS details", view.os().detailedData());
        line(out, "uptime", view.uptimeDuration().map(Object::toString));
        line(out, "build", view.buildNumber());
        view.disks().forEach(d -> out.append("  disk ").append(d.mountPoint()).append(": ").append(d.freeBytes())
                .append(" of ").append(d.sizeBytes()).append(" bytes free").append(d.fsType().map(t -> " " + t)
                        .orElse("")).append(d.devices().isEmpty() ? "" : " " + d.devices()).append('\n'));
        GuestView.Tools tools = view.tools();
        out.append("  tools: ").append(tools.running() ? "running" : "not running");
        tools.versionNumber().ifPresent(v -> out.append(", version ").append(v)
                .append(tools.version().map(text -> " (" + text + ")").orElse(tools.unmanaged() ? " (unmanaged)" : "")));
        tools.installType().ifPresent(t -> out.append(", install type ").append(t));
        if (!tools.capabilities().isEmpty()) {
            out.append(", capabilities ").append(new TreeSet<>(tools.capabilities()));
        }
        out.append('\n');
        view.decodeErrors().forEach(e -> out.append("  not decoded: ").append(e).append('\n'));
        return out.toString();
    }

    private static void line(StringBuilder out, String name, Optional<String> value) {
        out.append("  ").append(name).append(": ").append(value.orElse("(not reported)")).append('\n');
    }
}
