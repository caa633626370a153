/**
 * The {@code vmwguest} command line. Packaged as one runnable jar; the module
 * descriptor documents its dependencies and opens the commands to picocli,
 * which fills their fields reflectively.
 */
module dev.vmwguest.cli {
    requires dev.vmwguest.rpci;
    requires dev.vmwguest.tclo;
    requires dev.vmwguest.agent;
    requires dev.vmwguest.hostsim;
    requires dev.vmwguest.trap;
    requires info.picocli;
    requires java.logging;
    requires static org.jspecify;

    opens dev.vmwguest.cli to info.picocli;
}
