package goose.acp.wire;

/** One step of the agent's plan: priority high/medium/low, status pending/in_progress/completed. */
public record PlanEntry(String content, String priority, String status) {}
