package goose.bench;

import java.util.Optional;

/** BENCHMARKS.md's "Targets missed" section and the links to it from the tables. */
final class ExplainReport {
  static final String HEADING =
      "## Targets missed: what this run's profile shows and what would close it";

  private ExplainReport() {}

  /** The anchor of {@code target}'s subsection, when this run wrote one. */
  static Optional<String> anchor(Results r, Target target) {
    return r.explanations.stream()
        .filter(e -> e.target() == target)
        .findFirst()
        .map(e -> "#" + e.target().anchor);
  }

  /** A result row's "met / missed" cell, linked to its subsection when it has one. */
  static String metCell(Results r, Results.Row row) {
    return row.met()
        .map(
            m ->
                m
                    ? "met"
                    : anchor(r, Target.of(row))
                        .map(a -> "**[missed](" + a + ")**")
                        .orElse("**missed**"))
        .orElse("");
  }

  /** goosed's cell of a side-by-side row, linked to the subsection of its target. */
  static String goosedCell(Results r, Results.PeerRow p) {
    String value = Report.number(p.goosed());
    return Target.ofPeerRow(p.metric())
        .flatMap(t -> anchor(r, t))
        .map(a -> value + " ([why](" + a + "))")
        .orElse(value);
  }

  static void appendMarkdown(StringBuilder md, Results r) {
    if (r.explanations.isEmpty()) return;
    md.append("\n").append(HEADING).append("\n\n");
    md.append(
        "Each profile was captured in this run, after the measurement, in an extra launch or pass"
            + " (so it never disturbed a measured figure); [docs/benchmarks.md](docs/benchmarks.md"
            + "#profiles-of-missed-targets) says how.\n");
    for (Explanation e : r.explanations) {
      md.append("\n<a id=\"").append(e.target().anchor).append("\"></a>\n");
      md.append("### ").append(e.target().title).append("\n\n");
      for (String m : e.measured()) md.append("- measured: ").append(m).append('\n');
      md.append('\n');
      for (ProfileTable t : e.profile()) t.appendMarkdown(md);
      md.append("**What it shows and what would close it.** ").append(e.close()).append('\n');
    }
  }

  /** The section on the console (partial runs do not write BENCHMARKS.md). */
  static void print(Results r) {
    StringBuilder md = new StringBuilder();
    appendMarkdown(md, r);
    if (!md.isEmpty()) System.out.println(md);
  }
}
