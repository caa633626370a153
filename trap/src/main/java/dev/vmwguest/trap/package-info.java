/**
 * The trap launcher: start with {@link dev.vmwguest.trap.TrapLauncher}.
 *
 * <p>Everything here is thread-safe unless a type says otherwise. Nothing here
 * returns {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.vmwguest.trap;

import org.jspecify.annotations.NullMarked;
