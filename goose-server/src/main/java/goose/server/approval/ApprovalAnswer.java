package goose.server.approval;

import goose.server.http.Doc;

/** {@code POST /sessions/{id}/tool-approvals/{call_id}}: the user's answer. */
@Doc("The answer to a tool approval")
public record ApprovalAnswer(@Doc("allow_once, always_allow or deny") String decision) {}
