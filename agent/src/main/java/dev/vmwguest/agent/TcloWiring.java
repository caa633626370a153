package dev.vmwguest.agent;

import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciRequest;
import dev.vmwguest.tclo.PowerOperationHandler;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The agent's TCLO side: what it claims on {@code Capabilities_Register}, {@code broadcastIP},
 * the push after {@code reset}, and power operations mapped to the application's hooks.
 */
final class TcloWiring {

    private final HostLink link;
    private final FactSources sources;
    private final AgentSettings settings;
    private final PowerHooks hooks;
    private final System.Logger logger;
    private final Runnable reportSoon;

    TcloWiring(HostLink link, FactSources sources, AgentSettings settings, PowerHooks hooks, System.Logger logger,
            Runnable reportSoon) {
        this.link = link;
        this.sources = sources;
        this.settings = settings;
        this.hooks = hooks;
        this.logger = logger;
        this.reportSoon = reportSoon;
    }

    void wire() {
        TcloEvents events = link.events();
        events.subscribe(TcloCommand.CapabilitiesRegister.class, c -> capabilities());
        events.subscribe(TcloCommand.SetOption.class, option -> {
            if (!option.name().equals("broadcastIP")) {
                return TcloReply.ok();
            }
            return switch (option.value()) {
                case "1" -> broadcastIp();
                case "0" -> TcloReply.ok();
                default -> TcloReply.error("Invalid option value");
            };
        });
        // tclo's power-operation handlers keep VMware Tools' order (the status reaches the host before
        // the application acts) and the softpowerop_retry rule this agent advertises.
        for (PowerState state : PowerState.values()) {
            PowerOperationHandler handler = handler(state);
            if (handler != null) {
                events.onPowerOperation(state, handler);
            }
        }
        events.observe((command, reply) -> {
            if (command instanceof TcloCommand.Reset) {
                reportSoon.run();
            }
        });
    }

    /** As vmtoolsd: the uptime before the reply; then the claims described in {@link GuestAgent}. */
    private TcloReply capabilities() {
        link.send(GuestInfoMessages.text(7, Long.toString(uptimeNow())));
        link.rpci().tools().registerCapability("statechange");
        link.rpci().tools().registerCapability("softpowerop_retry");
        link.rpci().tools().setVersion(RpciRequest.SetToolsVersion.UNMANAGED);
        return TcloReply.ok();
    }

    /** On the TCLO thread: the host expects {@code guestinfo.ip} before the reply. */
    private TcloReply broadcastIp() {
        try {
            GuestFacts facts = GuestFacts.gather(sources, settings);
            return link.send(GuestInfoMessages.broadcastIp(facts.primaryIp())).success() ? TcloReply.ok()
                    : TcloReply.error("guestinfo.ip not accepted");
        } catch (IOException | RuntimeException e) {
            return TcloReply.error("no address: " + e.getMessage());
        }
    }

    /** The application's hook for {@code state} as tclo's handler, or null to keep tclo's default. */
    private @Nullable PowerOperationHandler handler(PowerState state) {
        Runnable afterwards = state == PowerState.HALT ? hooks.halt() : state == PowerState.REBOOT ? hooks.reboot() : null;
        if (afterwards != null) {
            return performed -> runLater(afterwards, performed);
        }
        PowerHooks.PowerHook now = state == PowerState.SUSPEND ? hooks.suspend()
                : state == PowerState.RESUME ? hooks.resume() : null;
        if (now == null) {
            return null;
        }
        return new PowerOperationHandler() {
            @Override
            public void prepare(PowerState asked) throws Exception {
                if (!now.run()) {
                    throw new IllegalStateException(asked.name().toLowerCase(Locale.ROOT)
                            + " refused by the application");
                }
            }

            @Override
            public void perform(PowerState asked) {
                // The hook already ran in prepare: suspend and resume need the application's answer first.
            }
        };
    }

    /** An application's shutdown must not run on (or be able to stop) the TCLO thread. */
    private void runLater(Runnable hook, PowerState state) {
        Thread t = new Thread(() -> {
            try {
                hook.run();
            } catch (RuntimeException | Error e) {
                logger.log(Level.ERROR, "application " + state + " hook failed", e);
            }
        }, "vmwguest-agent-" + state.name().toLowerCase(Locale.ROOT));
        t.start();
    }

    private long uptimeNow() {
        try {
            return FactGatherer.uptime(sources.uptime().read().orElse("0"));
        } catch (IOException | RuntimeException e) {   // a failing source must not cost the tools registration
            return 0;
        }
    }
}
