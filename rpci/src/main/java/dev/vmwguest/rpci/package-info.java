/**
 * Guest-to-host commands. Start with {@link dev.vmwguest.rpci.RpciClient#open()}.
 */
@NullMarked
package dev.vmwguest.rpci;

import org.jspecify.annotations.NullMarked;
