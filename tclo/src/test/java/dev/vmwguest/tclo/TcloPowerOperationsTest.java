package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.PowerState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Power operations as open-vm-tools services/plugins/powerOps/powerOps.c does them (lines 179-228, 428-528). */
class TcloPowerOperationsTest {

    private final FakeTcloHost host = new FakeTcloHost();
    private final FakeTools tools = new FakeTools();
    private final TcloEvents events = TcloEvents.builder("toolbox").transports(TransportSelector.over(TcloEventsTest.NO_BACKDOOR))
            .connections(host)
            .rpciSender(tools).hostClock(Optional::empty).logger(new CountingLogger())
            .polling(TcloPolling.defaults().withIdleDelays(Duration.ofMillis(1), Duration.ofMillis(5))).build();

    @AfterEach
    void closeEvents() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), events::close);
    }

    private String send(String command) throws Exception {
        return host.send(command).get(10, TimeUnit.SECONDS);
    }

    private List<String> statuses() {
        return tools.sent.stream().filter(s -> s.startsWith("tools.os.statechange.status")).toList();
    }

    @Test
    void aRepeatOfAFailedOperationIsReportedAsSuccessSoTheUserCanForceIt() throws Exception {
        // powerOps.c:194-201: success, or the same operation failed last time -> success, and forget the failure.
        events.subscribe(TcloCommand.PowerOperation.class, op -> {
            throw new IllegalStateException("busy");
        });
        events.start();

        for (String command : List.of("OS_Halt", "OS_Halt", "OS_Halt", "OS_Reboot", "OS_Halt", "OS_Halt")) {
            assertThat(send(command)).isEqualTo("ERROR busy");
        }

        assertThat(statuses()).containsExactly("tools.os.statechange.status 0 1", "tools.os.statechange.status 1 1",
                "tools.os.statechange.status 0 1", "tools.os.statechange.status 0 2",
                "tools.os.statechange.status 0 1", "tools.os.statechange.status 1 1");
    }

    @Test
    void theActionRunsAfterTheStatusAndAfterTheReplyAndOnAForcedRetry() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        boolean[] refuse = {true};
        events.onPowerOperation(PowerState.HALT, new PowerOperationHandler() {
            @Override
            public void prepare(PowerState state) {
                order.add("prepare, statuses " + statuses().size());
                if (refuse[0]) {
                    throw new IllegalStateException("draining");
                }
            }

            @Override
            public void perform(PowerState state) {
                order.add("perform, statuses " + statuses().size() + ", replies " + host.replies());
            }
        });
        events.start();

        assertThat(send("OS_Halt")).isEqualTo("ERROR draining");
        assertThat(send("OS_Halt")).isEqualTo("ERROR draining");   // forced: reported 1 and performed
        TcloEventsTest.waitFor(() -> order.size() == 3);

        assertThat(statuses()).containsExactly("tools.os.statechange.status 0 1", "tools.os.statechange.status 1 1");
        assertThat(order).containsExactly("prepare, statuses 0", "prepare, statuses 1",
                "perform, statuses 2, replies [OK ATR toolbox, ERROR draining, ERROR draining]");
    }

    @Test
    void withoutAnApplicationHandlerARefusedHaltIsNeverForced() throws Exception {
        events.start();

        send("OS_Halt");
        send("OS_Halt");

        // The library never halts by itself, so a repeat is not reported as done.
        assertThat(statuses()).containsExactly("tools.os.statechange.status 0 1", "tools.os.statechange.status 0 1");
    }
}
