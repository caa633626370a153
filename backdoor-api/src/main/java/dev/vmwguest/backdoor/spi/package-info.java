/**
 * The service-provider interface through which backdoor implementations
 * (the native stub, the simulated host) plug into
 * {@link dev.vmwguest.backdoor.Backdoors}.
 */
@NullMarked
package dev.vmwguest.backdoor.spi;

import org.jspecify.annotations.NullMarked;
