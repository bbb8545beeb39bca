package goose.server.approval;

import goose.server.http.Doc;
import java.util.Optional;

/** {@code POST /sessions/{id}/tool-approvals/{call_id}}: the user's answer. */
@Doc("The answer to a tool approval")
public record ApprovalAnswer(
    @Doc("allow_once, always_allow or deny") String decision,
    @Doc(
            "The call_hash of the tool_approval_required being answered: the answer is then taken only"
                + " if the approval is for exactly that call (409 otherwise)")
        Optional<String> callHash) {}
