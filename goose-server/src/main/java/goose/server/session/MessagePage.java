package goose.server.session;

import goose.server.http.Doc;
import java.util.List;
import java.util.Optional;

/**
 * A page of a conversation; pass {@code next_after} as {@code after} for the next page (absent on
 * the last).
 */
public record MessagePage(
    List<MessageView> messages,
    @Doc("Pass as after to get the next page; absent on the last page")
        Optional<String> nextAfter) {}
