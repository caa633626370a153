package dev.vmwguest.bench;

import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.vsock.HostVsockStandIn;
import dev.vmwguest.rpc.HighBandwidthPolicy;
import dev.vmwguest.rpc.RpcChannel;
import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Backdoor calls per operation, counted by the simulated host: on real
 * hardware each is a VM exit, the cost that matters most. Deterministic, so
 * counted once (after a first run that opens channels), not benchmarked.
 * Prints a Markdown table; {@code bench/run.sh} puts it in RESULTS.md.
 */
public final class CallsPerOperation {

    private record Row(String operation, String path, long calls) {
    }

    private CallsPerOperation() {
    }

    public static void main(String[] args) {
        List<Row> rows = new ArrayList<>();
        SimulatedHost host = BenchHosts.zeroCostWithEcho();
        rows.add(new Row("HostInfo.query (version, time, UUID, MHz)", "-", count(host, () -> HostInfo.query(host))));
        for (HighBandwidthPolicy policy : HighBandwidthPolicy.values()) {
            String path = policy == HighBandwidthPolicy.NEVER ? "LB" : "HB";
            RpcChannelOptions options = RpcChannelOptions.defaults().withHighBandwidth(policy);
            try (RpcChannel channel = RpcChannel.open(host, RpcProtocol.RPCI, options)) {
                for (int size : new int[] {16, 1024, 65536}) {
                    byte[] request = BenchHosts.echoRequest(size);
                    rows.add(new Row("RpcChannel.call, " + size + " B each way (reply " + (size - 3) + " B)", path,
                            count(host, () -> channel.call(request))));
                }
            }
            RpciOptions rpciOptions = RpciOptions.defaults().withChannelOptions(options);
            try (RpciClient client = RpciClient.open(TransportSelector.over(host), rpciOptions)) {
                for (int size : new int[] {16, 1024, 65536}) {
                    host.guestInfo().put("guestinfo.bench", BenchHosts.payload(size));
                    rows.add(new Row("RpciClient info-get, " + size + " B value, channel open", path,
                            count(host, () -> client.send("info-get guestinfo.bench"))));
                }
            }
            host.guestInfo().put("guestinfo.bench", BenchHosts.payload(16));
            rows.add(new Row("RpciClient open + info-get 16 B + close (one-shot, as vmware-rpctool)", path,
                    count(host, () -> {
                        try (RpciClient client = RpciClient.open(TransportSelector.over(host), rpciOptions)) {
                            client.send("info-get guestinfo.bench");
                        }
                    })));
        }
        try (RpcChannel tclo = TcloIdlePollBenchmark.TcloChannels.attached(host, "toolbox")) {
            byte[] poll = new byte[0];
            rows.add(new Row("TCLO idle poll (empty send, empty receive)", "HB", count(host, () -> {
                tclo.send(poll);
                tclo.receive();
            })));
            host.tclo().send("Set_Option bench 1");
            rows.add(new Row("TCLO poll that receives a command", "HB", countOnce(host, () -> {
                tclo.send(poll);
                tclo.receive();
            })));
            rows.add(new Row("TCLO reply to it (\"OK \"; the host has nothing more)", "HB", countOnce(host, () -> {
                tclo.send("OK ".getBytes(StandardCharsets.US_ASCII));
                tclo.receive();
            })));
        }
        try (VsockBenchHosts vsock = new VsockBenchHosts(host);
                RpciClient client = RpciClient.open(vsock.selector("vsock"), RpciOptions.defaults())) {
            long sentBefore = vsock.standIn.packetsFromGuest(HostVsockStandIn.RPCI_PORT);
            long receivedBefore = vsock.standIn.packetsToGuest(HostVsockStandIn.RPCI_PORT);
            long calls = count(host, () -> client.send("info-get guestinfo.bench"));
            // count() runs the operation twice.
            long sent = (vsock.standIn.packetsFromGuest(HostVsockStandIn.RPCI_PORT) - sentBefore) / 2;
            long received = (vsock.standIn.packetsToGuest(HostVsockStandIn.RPCI_PORT) - receivedBefore) / 2;
            rows.add(new Row("RpciClient info-get over privileged vsock (DataMap packets per operation: " + sent
                    + " sent, " + received + " received)", "vsock", calls));
        }
        print(rows);
    }

    /** Calls made by the second of two runs of {@code operation} (the first may open channels). */
    private static long count(SimulatedHost host, Runnable operation) {
        operation.run();
        host.calls().reset();
        operation.run();
        return host.calls().total();
    }

    /** Calls made by one run of {@code operation}, for those that change the host's state. */
    private static long countOnce(SimulatedHost host, Runnable operation) {
        host.calls().reset();
        operation.run();
        return host.calls().total();
    }

    private static void print(List<Row> rows) {
        System.out.println("| operation | path | backdoor calls |");
        System.out.println("|---|---|---:|");
        for (Row row : rows) {
            System.out.println("| " + row.operation() + " | " + row.path() + " | " + row.calls() + " |");
        }
    }
}
