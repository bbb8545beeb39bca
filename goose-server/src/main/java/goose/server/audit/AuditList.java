package goose.server.audit;

import goose.server.http.Doc;
import java.util.List;
import java.util.Optional;

@Doc("A page of the audit, newest first")
public record AuditList(
    List<AuditView> entries,
    @Doc("Pass as cursor for the next page; absent on the last") Optional<String> nextCursor) {}
