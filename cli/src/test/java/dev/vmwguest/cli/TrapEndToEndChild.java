package dev.vmwguest.cli;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link TrapEndToEndTest}: the whole stack through the real
 * native stub, run under the trap launcher. Prints {@code key=value} lines.
 */
public final class TrapEndToEndChild {

    private TrapEndToEndChild() {
    }

    /** {@code tour}: host facts, guestinfo of three sizes, one TCLO command; {@code info-get KEY}, {@code rpci REQUEST}: one RPCI call. */
    public static void main(String[] args) throws Exception {
        Backdoor backdoor = Backdoors.open();
        System.out.println("mechanism=" + backdoor.mechanism());
        if (args[0].equals("info-get") || args[0].equals("rpci")) {
            String request = args[0].equals("rpci") ? args[1] : "info-get " + args[1];
            try (RpciClient rpci = RpciClient.open(TransportSelector.over(backdoor))) {
                System.out.println("reply=" + rpci.send(request).text());
            }
            return;
        }
        HostInfo info = HostInfo.query(backdoor);
        System.out.println("product=" + info.version().productType());
        System.out.println("uuid=" + info.biosUuid().map(Object::toString).orElse("none"));
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(backdoor))) {
            String key = "guestinfo.e2e.max";
            for (int size : new int[] {16, 1024, rpci.guestInfo().maxValueBytes(key)}) {
                String value = TrapEndToEndTest.valueOf(size);
                String sizedKey = size > 1024 ? key : "guestinfo.e2e." + size;
                rpci.guestInfo().set(sizedKey, value);
                Optional<String> back = rpci.guestInfo().get(sizedKey);
                System.out.println("roundtrip." + size + "=" + (back.equals(Optional.of(value)) ? "ok" : "WRONG"));
            }
        }
        CountDownLatch delivered = new CountDownLatch(1);
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(backdoor)).build()) {
            events.subscribe(TcloCommand.SetOption.class, option -> {
                System.out.println("tclo=" + option.name() + " " + option.value());
                delivered.countDown();
                return TcloReply.ok();
            });
            events.start();
            System.out.println("tclo.delivered=" + delivered.await(60, TimeUnit.SECONDS));
        }
    }
}
