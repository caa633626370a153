package dev.vmwguest.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** One CLI invocation with everything it printed, through picocli's writers or straight to System.out/err. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return withInput(new ByteArrayInputStream(new byte[0]), args);
    }

    /** A run whose standard input is {@code in}. */
    static synchronized CliRun withInput(InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
        ByteArrayOutputStream rawErr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        InputStream savedIn = System.in;
        int exit;
        try {
            System.setIn(in);
            // rpc and guestinfo print bytes, as vmware-rpctool does, so they bypass picocli's writers.
            System.setOut(new PrintStream(rawOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(rawErr, true, StandardCharsets.UTF_8));
            exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
        return new CliRun(exit, out + rawOut.toString(StandardCharsets.UTF_8),
                err + rawErr.toString(StandardCharsets.UTF_8));
    }
}
