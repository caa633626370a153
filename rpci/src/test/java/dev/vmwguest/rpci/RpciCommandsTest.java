package dev.vmwguest.rpci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The exact bytes of every request, checked against the examples in shared/protocol/rpci.md. */
class RpciCommandsTest {

    private static String wire(byte[] request) {
        return new String(request, StandardCharsets.UTF_8);
    }

    @Test
    void infoGetAndSetCarryTheFullKeyAndTheValueVerbatim() {
        GuestInfoKey key = GuestInfoKey.of("ip");
        assertThat(wire(RpciCommands.infoGet(key))).isEqualTo("info-get guestinfo.ip");
        assertThat(wire(RpciCommands.infoSet(key, "10.0.0.5 and more\n".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("info-set guestinfo.ip 10.0.0.5 and more\n");
        assertThat(wire(RpciCommands.infoSet(key, new byte[0]))).isEqualTo("info-set guestinfo.ip ");
    }

    @Test
    void infoSetKeepsEveryByteOfABinaryValue() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        byte[] request = RpciCommands.infoSet(GuestInfoKey.of("bin"), value);
        int head = "info-set guestinfo.bin ".length();
        assertThat(request).hasSize(head + 256);
        assertThat(java.util.Arrays.copyOfRange(request, head, request.length)).isEqualTo(value);
    }

    @Test
    void maxInfoSetValueLeavesRoomForTheCommandAndKey() {
        GuestInfoKey key = GuestInfoKey.of("k");
        int max = RpciCommands.maxInfoSetValue(key, 65536);
        assertThat(RpciCommands.infoSet(key, new byte[max])).hasSize(65536);
    }

    @Test
    void toolsVersionIsEncodedAsTheFactSheetSays() {
        assertThat(RpciCommands.encodeToolsVersion(13, 1, 0)).isEqualTo(13344);
        assertThat(wire(RpciCommands.setToolsVersion(RpciCommands.TOOLS_VERSION_UNMANAGED)))
                .isEqualTo("tools.set.version 2147483647");
        assertThatThrownBy(() -> RpciCommands.setToolsVersion(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> RpciCommands.encodeToolsVersion(1, 32, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capabilityWithoutValueEndsInTheSpaceTheVmxExpects() {
        assertThat(wire(RpciCommands.capability("statechange"))).isEqualTo("tools.capability.statechange ");
        assertThat(wire(RpciCommands.capability("hgfs_server", "toolbox 1")))
                .isEqualTo("tools.capability.hgfs_server toolbox 1");
        assertThatThrownBy(() -> RpciCommands.capability("two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one word");
    }

    @Test
    void featuresAreSortedByIndex() {
        Map<Integer, Integer> values = new TreeMap<>(java.util.Comparator.reverseOrder());
        values.put(37, 1);
        values.put(36, 0);
        assertThat(wire(RpciCommands.features(values))).isEqualTo("tools.capability.features 36=0 37=1");
        assertThatThrownBy(() -> RpciCommands.features(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toolsLifecycleCommands() {
        assertThat(wire(RpciCommands.unifiedLoop("toolbox"))).isEqualTo("vmx.capability.unified_loop toolbox");
        assertThat(wire(RpciCommands.machineIdGet())).isEqualTo("machine.id.get");
        assertThat(wire(RpciCommands.setGuestInfo(GuestInfoType.DNS_NAME, "myhost")))
                .isEqualTo("SetGuestInfo  1 myhost");
        assertThat(wire(RpciCommands.stateChangeStatus(true, PowerState.SUSPEND)))
                .isEqualTo("tools.os.statechange.status 1 5");
        assertThat(wire(RpciCommands.stateChangeStatus(false, PowerState.HALT)))
                .isEqualTo("tools.os.statechange.status 0 1");
        assertThat(wire(RpciCommands.log("hello world"))).isEqualTo("log hello world");
    }

    @Test
    void aLogLineWithANulIsRefusedRatherThanCutShortByTheHost() {
        assertThatThrownBy(() -> RpciCommands.log("before\0after"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL at index 6");
        assertThat(wire(RpciCommands.log("tab\tand unicode \u00e9"))).isEqualTo("log tab\tand unicode \u00e9");
    }

    @Test
    void commandNameIsWhatTheHostDispatchesOn() {
        assertThat(RpciCommands.commandName("info-get guestinfo.x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("info-get");
        assertThat(RpciCommands.commandName("machine.id.get\0".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("machine.id.get");
        assertThat(RpciCommands.commandName(new byte[0])).isEmpty();
    }

    @Test
    void onlyCommandsSafeToRepeatAreIdempotent() {
        assertThat(RpciCommands.isIdempotent("info-set")).isTrue();
        assertThat(RpciCommands.isIdempotent("tools.capability.statechange")).isTrue();
        assertThat(RpciCommands.isIdempotent("log")).isFalse();
        assertThat(RpciCommands.isIdempotent("tools.os.statechange.status")).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"info-get guestinfo.ip", "info-set k v", "log x",
        "tools.capability.x ", "tools.capability.", "tools.capability", "machine.id.get", "machine.id.getx",
        "info-ge", "", " info-get", "SetGuestInfo  1 x", "tools.os.statechange.status 1 4", "update.tools.health"})
    void theAllocationFreeCheckAgreesWithTheNameCheck(String command) {
        byte[] request = command.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RpciCommands.isIdempotentRequest(request))
                .isEqualTo(RpciCommands.isIdempotent(RpciCommands.commandName(request)));
        byte[] nulEnded = (command + "\0rest").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RpciCommands.isIdempotentRequest(nulEnded))
                .isEqualTo(RpciCommands.isIdempotent(RpciCommands.commandName(nulEnded)));
    }
}
