/**
 * How GuestRPC bytes reach the host: the backdoor channel or AF_VSOCK, chosen
 * by an explicit, observable {@link dev.vmwguest.rpc.transport.TransportPolicy}.
 * {@link dev.vmwguest.rpc.transport.TransportSelector} tries the policy's
 * transports in order and records why each one it passed over was refused;
 * {@link dev.vmwguest.rpc.transport.TransportProvider} is the plug-in point
 * for transports that need native code (the {@code vmwguest-vsock} module).
 */
@NullMarked
package dev.vmwguest.rpc.transport;

import org.jspecify.annotations.NullMarked;
