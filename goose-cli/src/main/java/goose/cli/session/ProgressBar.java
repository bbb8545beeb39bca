package goose.cli.session;

import goose.session.StoreMigration;
import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place ({@code \r}) when the percentage changes. */
final class ProgressBar implements StoreMigration.Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private long total;
  private int shownPercent = -1;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void start(long totalRows) {
    total = totalRows;
    draw("", 0);
  }

  @Override
  public void advance(String table, long copied) {
    int percent = total == 0 ? 100 : (int) (copied * 100 / total);
    if (percent != shownPercent) draw(table, copied);
  }

  private void draw(String table, long copied) {
    int percent = total == 0 ? 100 : (int) (copied * 100 / total);
    shownPercent = percent;
    int filled = percent * WIDTH / 100;
    err.printf(
        "\r[%s%s] %3d%% %d/%d rows %-12s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), percent, copied, total, table);
    err.flush();
  }

  void finish() {
    err.println();
  }
}
