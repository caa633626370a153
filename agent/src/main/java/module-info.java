/**
 * A guest agent for appliances and minimal images that ship no VMware Tools:
 * {@link dev.vmwguest.agent.GuestAgent} reports the guest's host name, OS,
 * network and disks the way vmtoolsd does, answers power operations through
 * application hooks, and reads configuration and resource statistics the
 * host provides.
 */
module dev.vmwguest.agent {
    requires transitive dev.vmwguest.tclo;
    requires transitive dev.vmwguest.rpci;
    requires java.xml;
    requires static transitive org.jspecify;

    exports dev.vmwguest.agent;
}
