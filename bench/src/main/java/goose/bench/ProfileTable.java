package goose.bench;

import java.util.ArrayList;
import java.util.List;

/** A small table of numbers from one profile: a caption, a header row and its rows. */
record ProfileTable(String caption, List<String> header, List<List<String>> rows) {

  /** Builds a table row by row. */
  static final class Builder {
    private final String caption;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Builder(String caption, String... header) {
      this.caption = caption;
      this.header = List.of(header);
    }

    Builder row(Object... cells) {
      List<String> r = new ArrayList<>();
      for (Object c : cells) r.add(c instanceof Double d ? Report.number(d) : String.valueOf(c));
      rows.add(r);
      return this;
    }

    ProfileTable build() {
      return new ProfileTable(caption, header, List.copyOf(rows));
    }
  }

  static Builder builder(String caption, String... header) {
    return new Builder(caption, header);
  }

  void appendMarkdown(StringBuilder md) {
    md.append(caption).append("\n\n|");
    header.forEach(h -> md.append(' ').append(h).append(" |"));
    md.append("\n|---|");
    md.append("---:|".repeat(Math.max(0, header.size() - 1)));
    md.append('\n');
    for (List<String> r : rows) {
      md.append('|');
      r.forEach(c -> md.append(' ').append(c).append(" |"));
      md.append('\n');
    }
    md.append('\n');
  }
}
