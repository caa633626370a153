package dev.vmwguest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The training run for the CLI's class-data-sharing archive, run once by the build: the commands
 * whose start-up matters, in one JVM, so that one class list records every class they load (the
 * real host's detection and the channel code alike). Not meant to be run by hand.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    /**
     * Runs the training commands and prints their exit codes.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String[][] commands = {
            {"rpc", "info-get guestinfo.vmwguest.cds"},           // the real host, or a refusal here
            {"--simulate", "rpc", "info-set guestinfo.vmwguest.cds 1"},
            {"--simulate", "guestinfo", "get", "vmwguest.cds"},
            {"--help"},
        };
        for (String[] command : commands) {
            StringWriter sink = new StringWriter();
            int exit = Main.run(command, new PrintWriter(sink), new PrintWriter(sink));
            System.out.println("cds training: exit " + exit + " for " + String.join(" ", command));
        }
    }
}
