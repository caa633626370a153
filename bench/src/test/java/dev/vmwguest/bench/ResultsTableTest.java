package dev.vmwguest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {

    @Test
    void csvCellsMayHoldQuotedCommasAndQuotes() {
        assertThat(ResultsTable.parse("\"a,b\",\"say \"\"hi\"\"\",,3.5"))
                .containsExactly("a,b", "say \"hi\"", "", "3.5");
    }

    @Test
    void primaryScoresAndAllocationAndPercentilesLandOnOneRowPerParameterSet(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("r.csv"), String.join("\n",
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                        + "\"Param: size\"",
                "\"dev.vmwguest.bench.X.op\",\"avgt\",1,3,212.5,42.9,\"ns/op\",16",
                "\"dev.vmwguest.bench.X.op:gc.alloc.rate.norm\",\"avgt\",1,3,32.0,0.01,\"B/op\",16",
                "\"dev.vmwguest.bench.X.op\",\"avgt\",1,3,1500.0,NaN,\"ns/op\",1024",
                "\"dev.vmwguest.bench.Y.lat:p0.50\",\"sample\",1,1,44564.0,NaN,\"us/op\","));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            ResultsTable.main(new String[] {csv.toString()});
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .contains("| X.op | size=16 | 1 | 213 \u00b1 42.90 ns/op | 32.00 |  |",
                        "| X.op | size=1024 | 1 | 1,500 \u00b1 n/a ns/op |  |  |")
                .anyMatch(line -> line.startsWith("| Y.lat |") && line.contains("? / 44,564 / ? / ?"));
    }
}
