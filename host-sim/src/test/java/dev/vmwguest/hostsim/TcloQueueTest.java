package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.RawGuest.COOKIE;
import static dev.vmwguest.hostsim.RawGuest.RPCI;
import static dev.vmwguest.hostsim.RawGuest.SUCCESS;
import static dev.vmwguest.hostsim.RawGuest.TCLO;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The host side of TCLO (tclo.md, host-behaviour.md section 5). */
class TcloQueueTest {

    private final SimulatedHost host = SimulatedHost.create();

    private RawGuest attached(String app) {
        RawGuest tclo = RawGuest.opened(host, TCLO | COOKIE);
        assertThat(tclo.poll("")).isEqualTo("reset");
        // Only the send: a command queued for the app is offered at the next poll's receive.
        assertThat(tclo.send(("OK ATR " + app).getBytes(java.nio.charset.StandardCharsets.US_ASCII), false))
                .isEqualTo(SUCCESS);
        return tclo;
    }

    @Test
    void aFreshChannelGetsResetAfterItsFirstEmptySendAndTheAtrReplyAttachesIt() {
        RawGuest tclo = RawGuest.opened(host, TCLO | COOKIE);
        assertThat(tclo.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS); // nothing before the first send

        assertThat(tclo.poll("")).isEqualTo("reset");
        assertThat(tclo.poll("OK ATR toolbox")).isNull();

        assertThat(host.tclo().attachedApps()).containsExactly("toolbox");
        assertThat(host.tclo().history()).singleElement().satisfies(e -> {
            assertThat(e.command()).isEqualTo("reset");
            assertThat(e.hostCommand()).isTrue();
            assertThat(e.reply()).contains("OK ATR toolbox");
            assertThat(e.wellFormed()).isTrue();
        });
    }

    @Test
    void anIdlePollIsTwoCalls() {
        RawGuest tclo = attached("toolbox");
        long before = host.calls().total();

        assertThat(tclo.poll("")).isNull();
        assertThat(host.calls().total() - before).isEqualTo(2);
    }

    @Test
    void commandsAreDeliveredOnlyWhenPolledInOrderAndTheFutureGetsTheReply() throws Exception {
        CompletableFuture<String> ping = host.tclo().send("ping");
        CompletableFuture<String> option = host.tclo().send("Set_Option synctime 0");
        CompletableFuture<String> unknown = host.tclo().send("No_Such_Thing");
        assertThat(host.tclo().pending()).containsExactly("ping", "Set_Option synctime 0", "No_Such_Thing");

        RawGuest tclo = attached("toolbox");
        assertThat(tclo.poll("")).isEqualTo("ping");
        assertThat(ping).isNotDone();
        assertThat(tclo.poll("OK ")).isEqualTo("Set_Option synctime 0");
        assertThat(ping.get()).isEqualTo("OK ");
        assertThat(tclo.poll("OK ")).isEqualTo("No_Such_Thing");
        assertThat(tclo.poll("ERROR Unknown Command")).isNull();

        assertThat(option.get()).isEqualTo("OK ");
        assertThat(unknown.get()).isEqualTo("ERROR Unknown Command");
        assertThat(host.tclo().pending()).isEmpty();
        assertThat(host.tclo().history()).extracting(TcloExchange::command)
                .containsExactly("reset", "ping", "Set_Option synctime 0", "No_Such_Thing");
    }

    @Test
    void nothingIsOfferedWhileAReplyIsOwed() {
        host.tclo().send("ping");
        host.tclo().send("ping");
        RawGuest tclo = attached("toolbox");
        assertThat(tclo.poll("")).isEqualTo("ping");

        assertThat(tclo.lb(MessageType.RECEIVE_SIZE, 0)).isEqualTo(SUCCESS); // no DORECV: reply owed
        assertThat(tclo.frame.bx()).isZero();
    }

    @Test
    void anEmptyMessageInsteadOfAReplyFailsTheCommandsFuture() {
        CompletableFuture<String> ping = host.tclo().send("ping");
        RawGuest tclo = attached("toolbox");
        assertThat(tclo.poll("")).isEqualTo("ping");

        tclo.poll("");

        assertThat(ping).isCompletedExceptionally();
        assertThat(host.tclo().history()).last().extracting(TcloExchange::outcome)
                .isEqualTo(TcloExchange.Outcome.NO_REPLY);
    }

    @Test
    void trailingNulsAreRemovedFromReplies() throws Exception {
        CompletableFuture<String> ping = host.tclo().send("ping");
        RawGuest tclo = attached("toolbox");
        tclo.poll("");
        tclo.poll("OK \0");

        assertThat(ping.get()).isEqualTo("OK ");
    }

    @Test
    void rpciKeepsWorkingWhileATcloCommandIsOutstanding() throws Exception {
        CompletableFuture<String> caps = host.tclo().send("Capabilities_Register");
        RawGuest tclo = attached("toolbox");
        assertThat(tclo.poll("")).isEqualTo("Capabilities_Register");

        RawGuest rpci = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(rpci.rpci("tools.capability.statechange ")).isEqualTo("1 ");
        assertThat(tclo.poll("OK ")).isNull();

        assertThat(caps.get()).isEqualTo("OK ");
        assertThat(host.capabilities()).contains("statechange");
    }

    @Test
    void commandsForANamedAppGoOnlyToThatApp() throws Exception {
        CompletableFuture<String> dnd = host.tclo().sendTo("toolbox-dnd", "copypaste.transport");
        RawGuest toolbox = attached("toolbox");
        RawGuest user = attached("toolbox-dnd");

        assertThat(toolbox.poll("")).isNull();
        assertThat(user.poll("")).isEqualTo("copypaste.transport");
        user.poll("OK ");
        assertThat(dnd.get()).isEqualTo("OK ");
    }

    @Test
    void aSecondChannelAttachingATakenAppNameGetsOnlyResetsAndChannelErrors() {
        host.tclo().send("ping");
        attached("toolbox-dnd");

        RawGuest duplicate = RawGuest.opened(host, TCLO | COOKIE);
        assertThat(duplicate.poll("")).isEqualTo("reset");
        assertThat(duplicate.send("OK ATR toolbox-dnd".getBytes(), false)).isEqualTo(SUCCESS);
        assertThat(duplicate.lb(MessageType.RECEIVE_SIZE, 0)).isZero(); // the channel error

        RawGuest again = RawGuest.opened(host, TCLO | COOKIE);
        assertThat(again.poll("")).isEqualTo("reset");
        assertThat(host.tclo().pending()).containsExactly("ping"); // never delivered to the duplicate
        assertThat(host.tclo().attachedApps()).containsExactly("toolbox-dnd");
    }

    @Test
    void anUnsolicitedAtrAsTheFirstMessageIsAcceptedAsOpenBsdSendsIt() {
        host.tclo().send("ping");
        RawGuest tclo = RawGuest.opened(host, TCLO | COOKIE);

        assertThat(tclo.poll("OK ATR toolbox")).isEqualTo("ping");
    }

    @Test
    void resetHostDropsEveryChannelFailsTheOutstandingCommandAndTheNextChannelGetsReset() {
        CompletableFuture<String> halt = host.tclo().send("OS_Halt");
        host.tclo().send("ping");
        RawGuest tclo = attached("toolbox");
        RawGuest rpci = RawGuest.opened(host, RPCI | COOKIE);
        assertThat(tclo.poll("")).isEqualTo("OS_Halt");

        host.resetHost();

        assertThat(host.openChannels()).isZero();
        assertThat(halt).isCompletedExceptionally();
        assertThat(tclo.lb(MessageType.SEND_SIZE, 0)).isZero();
        assertThat(rpci.lb(MessageType.SEND_SIZE, 0)).isZero();
        assertThat(host.tclo().attachedApps()).isEmpty();

        RawGuest reopened = RawGuest.opened(host, TCLO | COOKIE);
        assertThat(reopened.poll("")).isEqualTo("reset");
        assertThat(reopened.poll("OK ATR toolbox")).isEqualTo("ping");
    }

    @Test
    void aCommandOfferedButNotDeliveredWhenTheChannelClosesIsDeliveredLater() throws Exception {
        CompletableFuture<String> ping = host.tclo().send("ping");
        RawGuest tclo = attached("toolbox");
        tclo.lb(MessageType.SEND_SIZE, 0);
        assertThat(tclo.lb(MessageType.RECEIVE_SIZE, 0) & RawGuest.DORECV).isNotZero();
        tclo.close();

        RawGuest next = attached("toolbox");
        assertThat(next.poll("")).isEqualTo("ping");
        next.poll("OK ");
        assertThat(ping.get()).isEqualTo("OK ");
    }

    @Test
    void aPowerOperationCompletesOnTheStateChangeRpciEvenWithoutATcloReply()
            throws InterruptedException, ExecutionException {
        CompletableFuture<Boolean> halted = host.tclo().powerOperation(GuestPowerOperation.HALT);
        RawGuest tclo = attached("toolbox");
        assertThat(tclo.poll("")).isEqualTo("OS_Halt");

        assertThat(RawGuest.oneShot(host, "tools.os.statechange.status 1 1\0")).isEqualTo("1 ");

        assertThat(halted.get()).isTrue();
    }
}
