package goose.server.approval;

import goose.server.http.Doc;
import java.util.List;

@Doc("Open tool approvals of a session")
public record ApprovalList(List<ApprovalView> approvals) {}
