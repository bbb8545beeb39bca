package goose.session;

import java.util.List;
import java.util.Optional;

/** A page of results and the cursor of the next page, empty on the last one. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
