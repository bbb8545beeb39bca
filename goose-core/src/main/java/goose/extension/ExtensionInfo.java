package goose.extension;

import java.util.Optional;

/**
 * One extension as {@code GET /extensions} shows it. {@code toolCount} is the number of tools
 * offered to the model (after {@code available_tools}), known once the extension has run; 0 before.
 * {@code config} holds header values in clear: show it through {@link
 * ExtensionConfigs#toPublicNode}.
 */
public record ExtensionInfo(
    String name,
    String type,
    String description,
    boolean enabled,
    ExtensionStatus status,
    Optional<String> lastError,
    int toolCount,
    ExtensionConfig config) {}
