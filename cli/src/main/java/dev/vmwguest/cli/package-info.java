/** The {@code vmwguest} command line: {@link dev.vmwguest.cli.Main}. */
@NullMarked
package dev.vmwguest.cli;

import org.jspecify.annotations.NullMarked;
