/**
 * GuestRPC channels. Start with {@link dev.vmwguest.rpc.RpcChannel#open}.
 */
@NullMarked
package dev.vmwguest.rpc;

import org.jspecify.annotations.NullMarked;
