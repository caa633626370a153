/**
 * The JNA binding of {@code src/main/c/vmwbackdoor.c}, the
 * {@link dev.vmwguest.backdoor.Backdoor} built on it, and its provider.
 *
 * <p>Not exported. Everything JNA-shaped ({@code Memory}, addresses, the
 * library name) stays in this package.
 */
@NullMarked
package dev.vmwguest.backdoor.jna;

import org.jspecify.annotations.NullMarked;
