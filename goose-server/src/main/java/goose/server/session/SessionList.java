package goose.server.session;

import goose.server.http.Doc;
import java.util.List;
import java.util.Optional;

/**
 * A page of sessions, newest first; pass {@code next_cursor} as {@code cursor} for the next page
 * (absent on the last).
 */
public record SessionList(
    List<SessionView> sessions,
    @Doc("Pass as cursor to get the next page; absent on the last page")
        Optional<String> nextCursor) {}
