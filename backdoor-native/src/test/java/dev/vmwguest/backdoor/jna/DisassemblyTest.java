package dev.vmwguest.backdoor.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped x86-64 stub contains exactly the expected trapping instructions,
 * each once, in the function of its name, and nothing else that talks to
 * hardware. Until the trap launcher proves the register contract end to end,
 * this is what guards against a stray or missing instruction.
 */
class DisassemblyTest {

    private static final Path LIBRARY = Path.of("target", "classes", "linux-x86-64", "libvmwbackdoor.so");
    private static final Path TEST_LIBRARY = Path.of("target", "test-classes", "linux-x86-64", "libvmwbackdoor-test.so");

    /** Anything that does I/O, traps to a hypervisor, or changes privileged state. */
    private static final Pattern PRIVILEGED = Pattern.compile(
            "^(rep[a-z]* )?(in|out|ins[bwld]?|outs[bwld]?|vmcall|vmmcall|vmfunc|int|int1|int3|into|syscall|sysenter"
                    + "|hlt|cli|sti|lgdt|lidt|wrmsr|rdmsr|iret[dq]?)(\\s|$)");

    private static final Pattern FUNCTION = Pattern.compile("^[0-9a-f]+ <([^>]+)>:$");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*[0-9a-f]+:\\s+(.*)$");

    @Test
    void theStubHasExactlyTheExpectedTrappingInstructions() throws Exception {
        Map<String, List<String>> byFunction = disassemble();

        Map<String, List<String>> trapping = new LinkedHashMap<>();
        byFunction.forEach((function, instructions) -> {
            List<String> found = instructions.stream().filter(i -> PRIVILEGED.matcher(i).find()).toList();
            if (!found.isEmpty()) {
                trapping.put(function, found);
            }
        });

        assertThat(trapping).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vmwbd_io_lb", List.of("in (%dx),%eax"),
                "vmwbd_io_hb_out", List.of("rep outsb %ds:(%rsi),(%dx)"),
                "vmwbd_io_hb_in", List.of("rep insb (%dx),%es:(%rdi)"),
                "vmwbd_vmcall_lb", List.of("vmcall"),
                "vmwbd_vmcall_hb_out", List.of("vmcall"),
                "vmwbd_vmcall_hb_in", List.of("vmcall"),
                "vmwbd_vmmcall_lb", List.of("vmmcall"),
                "vmwbd_vmmcall_hb_out", List.of("vmmcall"),
                "vmwbd_vmmcall_hb_in", List.of("vmmcall")));
    }

    @Test
    void theTestBuildOfTheStubTrapsNothing() throws Exception {
        Map<String, List<String>> byFunction = disassemble(TEST_LIBRARY);

        byFunction.forEach((function, instructions) -> assertThat(instructions).as(function)
                .noneMatch(i -> PRIVILEGED.matcher(i).find()));
        assertThat(byFunction).containsKeys("vmwbd_io_lb", "vmwbd_vmmcall_hb_in", "vmwbd_test_sink");
    }

    @Test
    void everyHighBandwidthCallClearsTheDirectionFlagAndRestoresRbp() throws Exception {
        Map<String, List<String>> byFunction = disassemble();

        for (String function : List.of("vmwbd_io_hb_out", "vmwbd_io_hb_in", "vmwbd_vmcall_hb_out",
                "vmwbd_vmcall_hb_in", "vmwbd_vmmcall_hb_out", "vmwbd_vmmcall_hb_in")) {
            List<String> code = byFunction.get(function);
            assertThat(code).as(function).isNotNull();
            int trap = indexOfTrap(code);
            assertThat(code.get(trap - 1)).as(function + ": before the trap").isEqualTo("cld");
            assertThat(code.get(trap - 2)).as(function + ": rbp swapped in").matches("xchg %r8,%rbp");
            assertThat(code.get(trap + 1)).as(function + ": rbp swapped back").matches("xchg %r8,%rbp");
        }
    }

    private static int indexOfTrap(List<String> code) {
        for (int i = 0; i < code.size(); i++) {
            if (PRIVILEGED.matcher(code.get(i)).find()) {
                return i;
            }
        }
        throw new AssertionError("no trapping instruction in " + code);
    }

    /** Instruction text (mnemonic and operands, single-spaced) per function symbol. */
    private static Map<String, List<String>> disassemble() throws IOException, InterruptedException {
        return disassemble(LIBRARY);
    }

    private static Map<String, List<String>> disassemble(Path library) throws IOException, InterruptedException {
        assumeTrue(Files.isRegularFile(library), () -> library + " was not built (not a Linux x86-64 build host)");
        Process objdump;
        try {
            objdump = new ProcessBuilder("objdump", "-d", "--no-show-raw-insn", library.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException missing) {
            assumeTrue(false, "objdump is not installed (apt-get install binutils): " + missing.getMessage());
            throw missing;
        }
        String output = new String(objdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(objdump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(objdump.exitValue()).as(output).isZero();

        Map<String, List<String>> byFunction = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher function = FUNCTION.matcher(line);
            Matcher instruction = INSTRUCTION.matcher(line);
            if (function.matches()) {
                current = byFunction.computeIfAbsent(function.group(1), name -> new ArrayList<>());
            } else if (instruction.matches()) {
                current.add(instruction.group(1).replaceAll("#.*$", "").trim().replaceAll("\\s+", " "));
            }
        }
        assertThat(byFunction).as(output).containsKey("vmwbd_io_lb");
        return byFunction;
    }
}
