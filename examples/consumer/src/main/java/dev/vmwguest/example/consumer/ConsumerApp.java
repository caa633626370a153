package dev.vmwguest.example.consumer;

import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.rpci.RpciClient;
import java.util.Optional;

/**
 * The README's usage example as an application: sets and reads back a guestinfo variable and
 * prints the host's facts. Run with {@code -Dvmwguest.backdoor=sim} and vmwguest-host-sim on the
 * path to talk to the simulated host.
 */
public final class ConsumerApp {

    private ConsumerApp() {
    }

    /**
     * Talks to the host once and prints what it saw.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Optional<String> ip;
        try (RpciClient rpci = RpciClient.open()) {
            rpci.guestInfo().set("ip", "10.0.0.5");
            ip = rpci.guestInfo().get("ip");
            rpci.log("consumer started");
        }
        HostInfo host = HostInfo.query(Backdoors.open());
        Module self = ConsumerApp.class.getModule();
        System.out.println("consumer: guestinfo.ip=" + ip.orElse("(unset)") + "; host " + host.version().productType()
                + "; " + (self.isNamed() ? "module " + self.getName() : "class path"));
        if (!ip.equals(Optional.of("10.0.0.5"))) {
            System.exit(1);
        }
    }
}
