package dev.vmwguest.cli;

import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.GuestInfo;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpc.RpcChannelOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code guestinfo get KEY} and {@code guestinfo set KEY VALUE}. */
@Command(name = "guestinfo", mixinStandardHelpOptions = true,
        description = "Read and write guestinfo.* variables (the prefix may be omitted).",
        subcommands = {GuestInfoCommand.Get.class, GuestInfoCommand.Set.class})
final class GuestInfoCommand {

    /** Prints a value; exit 1 with the host's message when the key has none. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the value of KEY (exit 1 if unset).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            try (RpciClient client = RpciClient.open(TransportSelector.over(HostOptions.of(spec).connect().backdoor()))) {
                Optional<byte[]> value = client.guestInfo().getBytes(key);
                if (value.isEmpty()) {
                    System.err.println(GuestInfo.NO_VALUE_FOUND);
                    return ExitCodes.HOST_SAID_NO;
                }
                System.out.write(value.get(), 0, value.get().length);
                System.out.println();
                System.out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** Sets a value from the argument, a file, or stdin. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set KEY to VALUE, to the contents of --file, or to standard input (VALUE '-').")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
                description = "The value, or '-' to read standard input.")
        String value;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the value from FILE, byte for byte.")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            byte[] value = readValue(GuestInfo.maxValueBytes(key, RpcChannelOptions.DEFAULT_MAX_SEND_SIZE));
            try (RpciClient client = RpciClient.open(TransportSelector.over(HostOptions.of(spec).connect().backdoor()))) {
                client.guestInfo().setBytes(key, value);
                return ExitCodes.OK;
            }
        }

        /** The value, read with a bound: one byte over {@code limit} is enough to refuse it. */
        private byte[] readValue(int limit) {
            if ((value == null) == (file == null)) {
                throw new ParameterException(spec.commandLine(), "give either VALUE or --file FILE");
            }
            if (file != null) {
                return BoundedInput.read(file, limit);
            }
            if ("-".equals(value)) {
                return BoundedInput.read(System.in, limit, "standard input");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }
    }
}
