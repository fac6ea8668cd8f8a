// What a finished execution means for the person watching the terminal: the end state's outcome
// in words (a run that ends CIFailed "succeeded" as an execution, but its CI failed) and the pull
// request it opened, if any.
import type { ExecutionReport } from "../state-machine-runner";
import { approvalBlocksMerge } from "../../contract/run-outcome";
import type { WorkflowState } from "../../contract/state";

const OUTCOMES: Record<string, { words: string; good: boolean }> = {
  Merged: { words: "merged", good: true },
  DryRun: { words: "dry run: nothing written", good: true },
  NotActionable: { words: "not actionable", good: true },
  PatchRejected: { words: "patch rejected", good: false },
  CIFailed: { words: "CI failed", good: false },
  CITimedOut: { words: "CI timed out", good: false },
  Failed: { words: "failed", good: false },
  Stopped: { words: "stopped by /afu9 stop", good: true },
  RevisionRefused: { words: "revision refused", good: false },
  CommandQueued: { words: "command queued behind the active run", good: true },
  CommandBusy: { words: "command not queued: the issue was busy", good: false },
};

export interface RunOutcome {
  words: string;
  good: boolean;
  pullRequest?: string;
}

export function runOutcome(report: ExecutionReport, finalState: string): RunOutcome {
  const known = OUTCOMES[finalState];
  const output = report.output as Partial<WorkflowState> | undefined;
  const merge = output?.merge;
  const words =
    report.status !== "SUCCEEDED"
      ? report.status.toLowerCase()
      : finalState === "Merged" && merge?.outcome && merge.outcome !== "merged"
        ? `not merged (${merge.outcome})`
        : finalState === "CITimedOut" && approvalBlocksMerge(output?.ci?.approval)
          ? "CI passed, approval missing: not merged"
          : (known?.words ?? finalState);
  const url = (report.output as { pr?: { url?: string } } | undefined)?.pr?.url;
  return {
    words,
    good: report.status === "SUCCEEDED" && (known?.good ?? true) && !words.startsWith("not merged"),
    ...(url ? { pullRequest: url } : {}),
  };
}
