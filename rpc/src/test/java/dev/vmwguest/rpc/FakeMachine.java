package dev.vmwguest.rpc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link MachineView} made of literals: CPUID leaves (sub-leaf 0), paths that exist, file contents. */
final class FakeMachine implements MachineView {

    private final Map<Integer, int[]> leaves = new HashMap<>();
    private final Set<String> existing = new HashSet<>();
    private final Map<String, String> files = new HashMap<>();
    private boolean cpuidReadable = true;

    FakeMachine leaf(int leaf, int eax, int ebx, int ecx, int edx) {
        leaves.put(leaf, new int[] {eax, ebx, ecx, edx});
        return this;
    }

    FakeMachine withPaths(String... paths) {
        existing.addAll(Set.of(paths));
        return this;
    }

    FakeMachine file(String path, String text) {
        files.put(path, text);
        existing.add(path);
        return this;
    }

    /** As on a platform without a native provider: every CPUID read is empty. */
    FakeMachine noCpuid() {
        cpuidReadable = false;
        return this;
    }

    @Override
    public Optional<int[]> cpuid(int leaf, int subleaf) {
        if (!cpuidReadable) {
            return Optional.empty();
        }
        // A real CPU answers every leaf; an unset one reads as zeros, as reserved leaves do.
        return Optional.of(leaves.getOrDefault(leaf, new int[4]).clone());
    }

    @Override
    public boolean exists(String path) {
        return existing.contains(path);
    }

    @Override
    public Optional<String> read(String path, int maxBytes) {
        return Optional.ofNullable(files.get(path)).map(t -> t.substring(0, Math.min(t.length(), maxBytes)));
    }
}
