package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Null checks name the parameter; failures name the command and key, never the value. */
class RpciMessagesTest {

    private final SimulatedHost host = SimulatedHost.builder().guestInfoSizeLimit(16).build();
    private final RpciClient rpci = RpciClient.open(TransportSelector.over(host));

    @AfterEach
    void closeClient() {
        rpci.close();
    }

    static Stream<Arguments> nulls() {
        return Stream.of(
                Arguments.of("send", (Consumer<RpciClient>) c -> c.send((String) null), "command"),
                Arguments.of("call", (Consumer<RpciClient>) c -> c.call((String) null), "command"),
                Arguments.of("sendRequest", (Consumer<RpciClient>) c -> c.send((RpciRequest) null), "request"),
                Arguments.of("callRequest", (Consumer<RpciClient>) c -> c.call((RpciRequest) null), "request"),
                Arguments.of("sendBytes", (Consumer<RpciClient>) c -> c.sendBytes(null), "request"),
                Arguments.of("log", (Consumer<RpciClient>) c -> c.log(null), "log text"),
                Arguments.of("get", (Consumer<RpciClient>) c -> c.guestInfo().get(null), "key"),
                Arguments.of("set key", (Consumer<RpciClient>) c -> c.guestInfo().set(null, "v"), "key"),
                Arguments.of("set value", (Consumer<RpciClient>) c -> c.guestInfo().set("k", null), "value"),
                Arguments.of("setBytes", (Consumer<RpciClient>) c -> c.guestInfo().setBytes("k", null), "value"),
                Arguments.of("version type", (Consumer<RpciClient>) c -> c.tools().setVersion(1, null), "type"),
                Arguments.of("capability", (Consumer<RpciClient>) c -> c.tools().registerCapability(null),
                        "capability name"),
                Arguments.of("capability arguments",
                        (Consumer<RpciClient>) c -> c.tools().registerCapability("x", null), "capability arguments"),
                Arguments.of("features", (Consumer<RpciClient>) c -> c.tools().registerFeatures(null), "values"),
                Arguments.of("guest fact type",
                        (Consumer<RpciClient>) c -> c.tools().reportGuestInfo(null, "v"), "type"),
                Arguments.of("guest fact value",
                        (Consumer<RpciClient>) c -> c.tools().reportGuestInfo(GuestInfoType.DNS_NAME, null), "value"),
                Arguments.of("power state",
                        (Consumer<RpciClient>) c -> c.tools().reportPowerOperation(true, null), "state"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nulls")
    void aNullIsRefusedNamingTheParameterBeforeAnyBackdoorCall(String operation, Consumer<RpciClient> call,
            String parameter) {
        long before = host.calls().total();

        assertThatNullPointerException().isThrownBy(() -> call.accept(rpci)).withMessage(parameter);

        assertThat(host.calls().total()).isEqualTo(before);
    }

    @Test
    void aFailedInfoGetThroughCallNamesTheCommandAndTheKey() {
        assertThatThrownBy(() -> rpci.call("info-get guestinfo.absent")).isInstanceOfSatisfying(RpciException.class,
                e -> {
                    assertThat(e.command()).isEqualTo("info-get");
                    assertThat(e.key()).contains("guestinfo.absent");
                    assertThat(e).hasMessageContaining("'info-get' for key 'guestinfo.absent'");
                });
    }

    @Test
    void aRefusedInfoSetNamesTheKeyButNeverTheValue() {
        String secret = "hunter2-hunter2-hunter2";

        assertThatThrownBy(() -> rpci.guestInfo().set("password", secret)).isInstanceOfSatisfying(
                RpciException.class, e -> assertThat(e.key()).contains("guestinfo.password"))
                .hasMessageContaining("guestinfo.password").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> rpci.call("info-set guestinfo.password " + secret))
                .hasMessageContaining("guestinfo.password").hasMessageNotContaining(secret);
    }

    @Test
    void aPermissionRefusalNamesTheKeyButNeverTheValue() {
        host.rpci().deny("info-set", true);

        assertThatThrownBy(() -> rpci.guestInfo().set("token", "s3cr3t")).isInstanceOfSatisfying(
                RpciPermissionDeniedException.class, e -> assertThat(e.key()).contains("guestinfo.token"))
                .hasMessageContaining("'info-set' for key 'guestinfo.token'").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void otherCommandsKeepTheirArgumentsOutOfTheMessage() {
        assertThatThrownBy(() -> rpci.call("no.such.command secret-argument")).isInstanceOfSatisfying(
                RpciException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessageContaining("'no.such.command'").hasMessageNotContaining("secret-argument");
        assertThat(RpciCommands.describe("info-set guestinfo.a\u0001b value".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("info-set guestinfo.a\\x01b");
    }

    @Test
    void closeFreesTheHostSlotEvenWhenItsCloseMeetsACheckpoint() {
        SimulatedHost checkpointing = SimulatedHost.create();
        RpciClient client = RpciClient.open(TransportSelector.over(checkpointing), RpciOptions.defaults().withMaxChannels(2));
        assertThat(checkpointing.openChannels()).isOne();
        checkpointing.faults().checkpointOnce(MessageType.CLOSE);

        client.close();

        assertThat(checkpointing.openChannels()).isZero();
        assertThat(checkpointing.faults().pending()).isEmpty();
    }
}
