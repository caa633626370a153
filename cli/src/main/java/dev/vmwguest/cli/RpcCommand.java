package dev.vmwguest.cli;

import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciReply;
import dev.vmwguest.rpc.RpcChannelOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A drop-in for {@code vmware-rpctool}: the reply's text after the
 * {@code 1 }/{@code 0 } prefix goes to stdout (exit 0) or stderr (exit 1),
 * byte for byte, followed by a newline.
 */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = {"Send one raw RPCI command, like vmware-rpctool: on success the reply goes to stdout "
                + "(exit 0), on failure to stderr (exit 1).", "Example: vmwguest rpc \"info-get guestinfo.ip\""})
final class RpcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command; several words are joined by spaces.")
    List<String> words;

    @Override
    public Integer call() {
        return run(words, HostOptions.of(spec).simulate());
    }

    /** The command itself, also run by {@link FastRpc} without building picocli's model. */
    static int run(List<String> words, boolean simulate) {
        String command = String.join(" ", words);
        int size = command.getBytes(StandardCharsets.UTF_8).length;
        if (size > RpcChannelOptions.DEFAULT_MAX_SEND_SIZE) {
            // Refused here, before detection or any backdoor call: the host would refuse it anyway.
            throw new LocalProblemException("the command is " + size + " bytes; one RPCI message carries at most "
                    + RpcChannelOptions.DEFAULT_MAX_SEND_SIZE + " bytes");
        }
        HostConnection connection = simulate ? HostConnection.simulated() : HostConnection.real();
        try (RpciClient client = RpciClient.open(TransportSelector.over(connection.backdoor()))) {
            RpciReply reply = client.send(command);
            return print(reply, System.out, System.err);
        }
    }

    /** Prints as vmware-rpctool prints; returns its exit code. */
    static int print(RpciReply reply, PrintStream out, PrintStream err) {
        PrintStream target = reply.success() ? out : err;
        target.write(reply.bytes(), 0, reply.length());
        target.println();
        target.flush();
        return reply.success() ? ExitCodes.OK : ExitCodes.HOST_SAID_NO;
    }
}
