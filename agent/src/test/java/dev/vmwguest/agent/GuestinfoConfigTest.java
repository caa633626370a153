package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GuestinfoConfigTest {

    static final String OVF_ENV = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Environment xmlns="http://schemas.dmtf.org/ovf/environment/1"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xmlns:oe="http://schemas.dmtf.org/ovf/environment/1"
                 xmlns:ve="http://www.vmware.com/schema/ovfenv"
                 oe:id="" ve:vCenterId="vm-12345">
               <PlatformSection>
                  <Kind>VMware ESXi</Kind>
                  <Version>8.0.2</Version>
                  <Vendor>VMware, Inc.</Vendor>
                  <Locale>en</Locale>
               </PlatformSection>
               <PropertySection>
                     <Property oe:key="hostname" oe:value="app-01"/>
                     <Property oe:key="motd" oe:value="a &amp; b &lt;c&gt;"/>
               </PropertySection>
               <PropertySection>
                     <Property oe:key="ignored" oe:value="second section"/>
               </PropertySection>
               <ve:EthernetAdapterSection>
                  <ve:Adapter ve:mac="00:50:56:aa:bb:cc" ve:network="VM Network" ve:unitNumber="7"/>
               </ve:EthernetAdapterSection>
            </Environment>
            """;

    private final SimulatedHost host = SimulatedHost.create();

    @Test
    void theOvfEnvironmentsPropertiesPlatformAndAdaptersAreRead() {
        host.guestInfo().put("guestinfo.ovfEnv", OVF_ENV);
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            OvfEnvironment env = GuestinfoConfig.over(rpci).ovfEnvironment().orElseThrow();
            assertThat(env.vCenterId()).isEqualTo("vm-12345");
            assertThat(env.properties()).containsExactly(java.util.Map.entry("hostname", "app-01"),
                    java.util.Map.entry("motd", "a & b <c>"));
            assertThat(env.platform()).isEqualTo(new OvfEnvironment.Platform("VMware ESXi", "8.0.2", "VMware, Inc.", "en"));
            assertThat(env.adapters()).containsExactly(new OvfEnvironment.Adapter("00:50:56:aa:bb:cc", "VM Network", "7"));
        }
    }

    @Test
    void aDoctypeOrExternalEntityIsRefusedNotResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Environment xmlns=\"http://schemas.dmtf.org/ovf/environment/1\">&e;</Environment>";
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("ovfEnv", xxe)).ovfEnvironment())
                .isInstanceOf(GuestConfigException.class).hasMessageContaining("guestinfo.ovfEnv")
                .hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("ovfEnv", "<Other/>")).ovfEnvironment())
                .isInstanceOf(GuestConfigException.class).hasMessageContaining("not Environment");
    }

    @Test
    void cloudInitEncodingsDecode() throws Exception {
        String yaml = "instance-id: i-1\nlocal-hostname: app\n";
        String b64 = Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(GuestinfoConfig.over(vars("metadata", b64, "metadata.encoding", "base64")).cloudInitText("metadata"))
                .contains(yaml);
        assertThat(GuestinfoConfig.over(vars("metadata", b64, "metadata.encoding", "b64")).cloudInitText("metadata"))
                .contains(yaml);
        String gz = Base64.getEncoder().encodeToString(gzip(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(GuestinfoConfig.over(vars("userdata", gz, "userdata.encoding", "gzip+base64")).cloudInitText("userdata"))
                .contains(yaml);
        assertThat(GuestinfoConfig.over(vars("userdata", gz, "userdata.encoding", "gz+b64")).cloudInitText("userdata"))
                .contains(yaml);
        assertThat(GuestinfoConfig.over(vars("vendordata", yaml)).cloudInitText("vendordata")).contains(yaml);
        assertThat(GuestinfoConfig.over(vars("vendordata", "---\n")).cloudInit("vendordata")).isEmpty();
        assertThat(GuestinfoConfig.over(vars()).cloudInit("vendordata")).isEmpty();
    }

    @Test
    void badEncodingsAndOversizedValuesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("metadata", "not base64!", "metadata.encoding", "base64"))
                .cloudInit("metadata")).isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("guestinfo.metadata is not valid base64");
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("metadata", "eA==", "metadata.encoding", "gzip+base64"))
                .cloudInit("metadata")).hasMessageContaining("not valid gzip");
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("metadata", "x", "metadata.encoding", "bzip2"))
                .cloudInit("metadata")).hasMessageContaining("'bzip2'");
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("metadata", "x".repeat(100))).withMaxBytes(10)
                .cloudInit("metadata")).hasMessageContaining("over the limit of 10");
        String bomb = Base64.getEncoder().encodeToString(gzip(new byte[100_000]));
        assertThatThrownBy(() -> GuestinfoConfig.over(vars("userdata", bomb, "userdata.encoding", "gzip+base64"))
                .withMaxBytes(10_000).cloudInit("userdata")).hasMessageContaining("decompresses to more than");
    }

    @Test
    void redactAfterReadingLeavesNothingForLaterReaders() {
        host.guestInfo().put("guestinfo.userdata", Base64.getEncoder().encodeToString("secret".getBytes(StandardCharsets.UTF_8)));
        host.guestInfo().put("guestinfo.userdata.encoding", "base64");
        try (RpciClient rpci = RpciClient.open(TransportSelector.over(host))) {
            GuestinfoConfig config = GuestinfoConfig.over(rpci);
            assertThat(config.cloudInitText("userdata")).contains("secret");
            config.redact("userdata");
            assertThat(host.guestInfo().get("guestinfo.userdata")).contains("---");
            assertThat(host.guestInfo().get("guestinfo.userdata.encoding")).contains(" ");
            assertThat(config.cloudInit("userdata")).isEmpty();
        }
    }

    static GuestinfoConfig.GuestVariables vars(String... pairs) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new GuestinfoConfig.GuestVariables() {
            @Override
            public java.util.Optional<byte[]> get(String key) {
                return java.util.Optional.ofNullable(map.get(key)).map(v -> v.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void set(String key, String value) {
                map.put(key, value);
            }
        };
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
