package goose.server.status;

import goose.server.http.Doc;
import java.util.Optional;

/**
 * {@code GET /info}: what this server is and who is asking, for a client's status line (the web UI
 * shows it). Holds no secret: never a key, URL or path.
 */
public record ServerInfo(
    @Doc("Version of this build") String version,
    @Doc("GOOSE_AUTH: none, secret, tokens or proxy") String auth,
    @Doc("The user the credentials belong to") String user,
    @Doc("Whether that user may manage extensions and read the audit") boolean admin,
    @Doc("GOOSE_PROVIDER; absent while no provider is configured") Optional<String> provider,
    @Doc("The model turns use; absent while no provider is configured") Optional<String> model,
    @Doc("Where sessions are stored: sqlite or postgresql") String store,
    @Doc("GOOSE_MODE, the tool approval mode of sessions without their own") String defaultMode) {}
