package dev.mooring.host.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Suggestions for a mistyped name, such as an option or a configuration key: the known names closest to it. */
public final class Spelling {

    private Spelling() {}

    /**
     * Returns the {@code candidates} that are fewest edits away from {@code typed}, in their order,
     * counting only those within 2 edits (1 for a name of up to 3 characters, so that a short typo
     * does not match every short name).
     */
    public static List<String> closest(String typed, Iterable<String> candidates) {
        return closest(typed, candidates, typed.length() <= 3 ? 1 : 2);
    }

    /**
     * Returns the supported configuration keys that {@code key} may be a typo of, in sorted order.
     * Keys shorter than 8 characters get only one edit, so that a key Mooring does not support,
     * such as wrangler's "routes", is not taken for a typo of a supported one such as "rules".
     */
    public static List<String> misspelledKey(String key, Set<String> known) {
        return closest(key, new TreeSet<>(known), key.length() < 8 ? 1 : 2);
    }

    /** Returns the {@code candidates} that are fewest edits away from {@code typed}, within {@code maxDistance}. */
    public static List<String> closest(String typed, Iterable<String> candidates, int maxDistance) {
        List<String> closest = new ArrayList<>();
        int best = maxDistance;
        for (String candidate : candidates) {
            int distance = editDistance(typed, candidate);
            if (distance > best) {
                continue;
            }
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            closest.add(candidate);
        }
        return closest;
    }

    /**
     * Returns the optimal string alignment distance between {@code a} and {@code b}: the fewest
     * insertions, deletions, substitutions and swaps of two adjacent characters that turn one into
     * the other, where no character is edited twice. A swap counts as one edit, because {@code
     * prot} for {@code port} is one slip of the fingers.
     */
    public static int editDistance(String a, String b) {
        int[][] distance = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            distance[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            distance[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int edits = Math.min(Math.min(distance[i - 1][j] + 1, distance[i][j - 1] + 1),
                        distance[i - 1][j - 1] + substitution);
                boolean swapped = i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1);
                if (swapped) {
                    edits = Math.min(edits, distance[i - 2][j - 2] + 1);
                }
                distance[i][j] = edits;
            }
        }
        return distance[a.length()][b.length()];
    }
}
