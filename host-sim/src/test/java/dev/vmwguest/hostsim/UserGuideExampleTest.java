package dev.vmwguest.hostsim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The example in {@link SimulatedHost}'s class javadoc, compiled and run. Keep
 * the two in step: the javadoc's {@code InventoryAgentTest} is this class's
 * test methods, word for word.
 */
class UserGuideExampleTest {

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void publishesTheHostNameAsGuestInfo() {
        host.guestInfo().put("guestinfo.role", "web");       // as a .vmx entry would

        new InventoryAgent(host).publish();                  // your code, given the Backdoor

        assertThat(host.guestInfo().get("agent.hostname")).contains("web-01");
        assertThat(host.log()).contains("inventory agent started");
        assertThat(host.openChannels()).isZero();            // it closed what it opened
        assertThat(host.calls().violations()).isZero();      // and followed the protocol
    }

    @Test
    void survivesASnapshotInTheMiddleOfAMessage() {
        host.faults().checkpointOnce(MessageType.RECEIVE_STATUS);

        new InventoryAgent(host).publish();

        assertThat(host.faults().pending()).isEmpty();       // the checkpoint did happen
    }

    /**
     * Stands in for the user's code under test. A real user would call the
     * {@code rpci} module; this module's tests may not depend on it, so the
     * agent speaks the protocol itself (guestrpc-channel.md section 4), with
     * the checkpoint retry a correct client needs.
     */
    static final class InventoryAgent {

        private final Backdoor backdoor;
        private final RegisterFrame frame = new RegisterFrame();

        InventoryAgent(Backdoor backdoor) {
            this.backdoor = backdoor;
        }

        void publish() {
            rpci("log inventory agent started");
            String role = rpci("info-get guestinfo.role").substring(2);
            rpci("info-set guestinfo.agent.hostname " + role + "-01");
        }

        private String rpci(String request) {
            frame.set(Backdoor.MAGIC, 0xC943_5052, 0x1E, Backdoor.LOW_BANDWIDTH_PORT, 0, 0, 0);
            backdoor.call(frame);
            int id = RegisterFrame.high16(frame.dx());
            int high = frame.si();
            int low = frame.di();
            try {
                byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; attempt < 3; attempt++) {
                    if (step(1, bytes.length, id, high, low) == 0) {
                        throw new IllegalStateException("send refused");
                    }
                    frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(id, 0x5659), 0, low, high);
                    backdoor.send(frame, ByteBuffer.wrap(bytes));
                    if ((RegisterFrame.high16(frame.bx()) & 1) != 0) {
                        break;
                    }
                }
                for (int attempt = 0; attempt < 3; attempt++) {
                    step(3, 0, id, high, low);
                    byte[] reply = new byte[frame.bx()];
                    frame.set(Backdoor.MAGIC, 0x0001_0000, 0, RegisterFrame.halves(id, 0x5659), high, 0, low);
                    backdoor.receive(frame, ByteBuffer.wrap(reply));
                    if ((step(5, 1, id, high, low) & 1) != 0) {
                        return new String(reply, StandardCharsets.UTF_8);
                    }
                }
                throw new IllegalStateException("no reply to " + request);
            } finally {
                step(6, 0, id, high, low);
            }
        }

        private int step(int type, int bx, int id, int high, int low) {
            frame.set(Backdoor.MAGIC, bx, RegisterFrame.halves(type, 0x1E), RegisterFrame.halves(id, 0x5658), high,
                    low, 0);
            backdoor.call(frame);
            return RegisterFrame.high16(frame.cx());
        }
    }
}
