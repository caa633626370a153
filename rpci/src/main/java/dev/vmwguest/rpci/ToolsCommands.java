package dev.vmwguest.rpci;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The RPCI commands a guest-tools implementation sends: tools version,
 * capabilities, guest facts and power-operation outcomes. Obtain it with
 * {@link RpciClient#tools()}; thread-safe like the client.
 *
 * <p>Each method sends one command ({@link RpciRequest} has the exact wire
 * strings) and throws {@link RpciException} on a failure reply.
 */
public final class ToolsCommands {

    private final RpciClient client;

    ToolsCommands(RpciClient client) {
        this.client = client;
    }

    /**
     * Reports the installed tools version ({@code tools.set.version}); without
     * it vSphere shows tools as running but not installed. Use
     * {@link RpciRequest.SetToolsVersion#UNMANAGED} for guest-managed tools.
     *
     * @param version the encoded version, see {@link RpciRequest.SetToolsVersion#versionOf}
     */
    public void setVersion(int version) {
        client.call(new RpciRequest.SetToolsVersion(version));
    }

    /**
     * Reports the installed tools version with its install type
     * ({@code tools.set.versiontype}); a host that refuses it (hosts before
     * the command existed answer {@code Unknown command}) gets
     * {@code tools.set.version} instead, as vmtoolsd does (rpci.md section 2.3).
     * One command, two on the fallback.
     *
     * @param version the encoded version, see {@link RpciCommands#encodeToolsVersion}
     * @param type how the tools were installed
     * @throws RpciException if the host refuses the fallback too
     */
    public void setVersion(int version, ToolsInstallType type) {
        if (!client.send(new RpciRequest.SetToolsVersionType(version, type)).success()) {
            setVersion(version);
        }
    }

    /**
     * Registers a capability without a value, e.g. {@code statechange} (soft power operations).
     *
     * @param name the capability name
     */
    public void registerCapability(String name) {
        client.call(new RpciRequest.Capability(name, ""));
    }

    /**
     * Registers a capability with arguments, e.g. {@code hgfs_server}, {@code "toolbox 1"}.
     *
     * @param name the capability name
     * @param arguments its value
     */
    public void registerCapability(String name, String arguments) {
        client.call(new RpciRequest.Capability(name, arguments));
    }

    /**
     * Sends new-style capabilities by index ({@code tools.capability.features 36=0 ...}).
     *
     * @param values the capability values by index
     */
    public void registerFeatures(Map<Integer, Integer> values) {
        client.call(RpciRequest.Raw.of(RpciCommands.features(values)));
    }

    /**
     * Tells the host that TCLO app {@code app} runs the unified loop ({@code vmx.capability.unified_loop}).
     *
     * @param app the TCLO app name
     */
    public void setUnifiedLoop(String app) {
        client.call(RpciRequest.Raw.of(RpciCommands.unifiedLoop(app)));
    }

    /**
     * The VM's {@code machine.id} configuration value.
     *
     * @return empty when the host answers with another failure (the value is not set; the fact
     *         sheet does not document that reply's text, so any other text counts as "not set")
     * @throws RpciPermissionDeniedException if VM policy restricts the command
     * @throws RpciException if the host does not know the command ({@code Unknown command}): "not
     *         set" would be a wrong answer there
     */
    public Optional<String> machineId() {
        RpciRequest request = RpciRequest.Raw.of(RpciCommands.machineIdGet());
        RpciReply reply = client.send(request);
        if (!reply.success()) {
            String reason = new String(reply.bytes(), StandardCharsets.UTF_8).trim();
            if (reason.equalsIgnoreCase(RpciPermissionDeniedException.PERMISSION_DENIED)
                    || reason.equalsIgnoreCase(RpciException.UNKNOWN_COMMAND)) {
                client.requireSuccess(request, reply);
            }
            return Optional.empty();
        }
        return Optional.of(reply.text());
    }

    /**
     * Reports a guest fact shown in vSphere ({@code SetGuestInfo}). The host
     * answers an empty success when it stored the value; any text means "not
     * updated" and is thrown.
     *
     * @param type what the value is (uptime, DNS name ...)
     * @param value the value
     */
    public void reportGuestInfo(GuestInfoType type, String value) {
        RpciRequest request = new RpciRequest.SetGuestInfo(type, WireText.utf8(value, "value"));
        RpciReply reply = client.requireSuccess(request, client.send(request));
        if (reply.length() != 0) {
            throw new RpciException("SetGuestInfo", reply.text());
        }
    }

    /**
     * Reports the outcome of a power operation
     * ({@code tools.os.statechange.status}): send it when the operation's work
     * is done and before the guest actually halts or reboots. Never resent
     * automatically after a failure that may have delivered it.
     *
     * @param succeeded whether the operation's work succeeded
     * @param state the power operation it reports on
     */
    public void reportPowerOperation(boolean succeeded, PowerState state) {
        client.call(new RpciRequest.StateChangeStatus(succeeded, state));
    }
}
