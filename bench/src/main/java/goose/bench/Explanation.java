package goose.bench;

import java.util.List;

/**
 * One missed target's subsection of BENCHMARKS.md: the measured figures against their targets, the
 * profile captured in this run that explains them, and what would close the gap (a text the
 * profile's own numbers fill in).
 */
record Explanation(
    Target target, List<String> measured, List<ProfileTable> profile, String close) {}
