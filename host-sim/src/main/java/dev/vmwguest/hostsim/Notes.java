package dev.vmwguest.hostsim;

import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.RegisterFrame;

/** The one-line reading of a call in the transcript; computed only when the transcript is on. */
final class Notes {

    private Notes() {
    }

    static String lowBandwidth(RegisterFrame in, RegisterFrame out) {
        int command = RegisterFrame.low16(in.cx());
        if (command != BackdoorCommand.MESSAGE) {
            return "command " + command + (out.ax() == BackdoorCommand.NOT_HANDLED ? " -> not handled" : "");
        }
        MessageType type = MessageType.byCode(RegisterFrame.high16(in.cx()));
        String name = type == null ? "type " + RegisterFrame.high16(in.cx()) : type.name();
        String channel = type == MessageType.OPEN ? "" : " ch=" + RegisterFrame.high16(in.dx());
        String opened = type == MessageType.OPEN && (RegisterFrame.high16(out.cx()) & MessageEngine.SUCCESS) != 0
                ? " id=" + RegisterFrame.high16(out.dx()) : "";
        return String.format("MESSAGE %s%s -> status 0x%04x%s", name, channel, RegisterFrame.high16(out.cx()), opened);
    }

    static String highBandwidth(String direction, RegisterFrame in, RegisterFrame out) {
        return String.format("HB %s ch=%d count=%d -> status 0x%04x", direction, RegisterFrame.high16(in.dx()),
                Integer.toUnsignedLong(in.cx()), RegisterFrame.high16(out.bx()));
    }
}
