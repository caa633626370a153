package dev.vmwguest.agent;

import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.lang.System.Logger.Level;

/** Subscribes the agent's TCLO handlers: capabilities, broadcastIP, reset, power operations. */
final class TcloWiring {

    private final GuestAgent agent;

    TcloWiring(GuestAgent agent) {
        this.agent = agent;
    }

    void wire(TcloEvents events) {
        events.subscribe(TcloCommand.CapabilitiesRegister.class, c -> agent.capabilities());
        events.subscribe(TcloCommand.SetOption.class, option -> {
            if (!option.name().equals("broadcastIP")) {
                return TcloReply.ok();
            }
            return switch (option.value()) {
                case "1" -> agent.broadcastIp();
                case "0" -> TcloReply.ok();
                default -> TcloReply.error("Invalid option value");
            };
        });
        PowerHooks hooks = agent.hooks();
        if (hooks.halt() != null || hooks.reboot() != null || hooks.suspend() != null || hooks.resume() != null) {
            events.subscribe(TcloCommand.PowerOperation.class, this::power);
        }
        events.observe((command, reply) -> {
            if (command instanceof TcloCommand.Reset) {
                agent.reportSoon();
            } else if (command instanceof TcloCommand.PowerOperation op && reply.success()) {
                // Observers run after the library reported the status to the host: now the app may stop.
                Runnable later = op.state() == PowerState.HALT ? hooks.halt()
                        : op.state() == PowerState.REBOOT ? hooks.reboot() : null;
                if (later != null) {
                    agent.runLater(later, op.state());
                }
            }
        });
    }

    private TcloReply power(TcloCommand.PowerOperation op) {
        PowerHooks hooks = agent.hooks();
        PowerHooks.PowerHook now = switch (op.state()) {
            case SUSPEND -> hooks.suspend();
            case RESUME -> hooks.resume();
            default -> null;
        };
        Runnable later = op.state() == PowerState.HALT ? hooks.halt()
                : op.state() == PowerState.REBOOT ? hooks.reboot() : null;
        if (later != null) {
            return TcloReply.ok();   // acknowledged; the hook runs once the status is reported
        }
        if (now == null) {
            return op.state() == PowerState.HALT || op.state() == PowerState.REBOOT
                    ? TcloReply.error("No handler for " + op.commandName() + " in this application") : TcloReply.ok();
        }
        try {
            return now.run() ? TcloReply.ok() : TcloReply.error(op.commandName() + " refused by the application");
        } catch (Exception e) {
            agent.logger().log(Level.WARNING, op.commandName() + " hook failed", e);
            return TcloReply.error(op.commandName() + " failed: " + e.getClass().getSimpleName());
        }
    }
}
