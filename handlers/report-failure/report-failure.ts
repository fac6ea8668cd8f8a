// ReportFailure: the run hit an unrecoverable error. The issue gets one comment saying where the
// run stopped and why, in words a user can act on. The text is public: no stack trace, no secret,
// no AWS resource names; operators find the rest in the execution's logs.
import { upsertMarkedComment } from "../github/marked-comment";
import type { TaskDeps } from "../shared/types";
import type { CaughtError, WorkflowState } from "../../contract/state";
import { repoOf } from "../shared/run-state";

/** Marker of the one failure comment per issue, updated in place by a later failed run. */
export const FAILURE_COMMENT_KIND = "failure";

const MESSAGE_LIMIT = 400;

/** Things that must never reach a public comment, each replaced by a neutral placeholder. */
const REDACTIONS: Array<[RegExp, string]> = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    "[private key]",
  ],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})\b/g, "[token]"],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "[token]"],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, "[access key]"],
  [/\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{12,}/gi, "$1 [token]"],
  [/(https?:\/\/)[^\s/:@]+:[^\s/@]+@/g, "$1[credentials]@"],
  [
    /((?:secret|password|passwd|token|api[_-]?key|private[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;}]{4,}/gi,
    "$1[redacted]",
  ],
  [/\barn:aws[a-z-]*:[^\s"'`,)]+/g, "[AWS resource]"],
];

/** Removes secrets and AWS identifiers from text bound for a public comment. */
export function redactForComment(text: string): string {
  return REDACTIONS.reduce(
    (result, [pattern, replacement]) => result.replace(pattern, replacement),
    text,
  );
}

/**
 * The one-line, public explanation of a caught error. Step Functions puts a Lambda error's
 * `{errorType, errorMessage, trace}` JSON in Cause; only the first line of the message is kept.
 */
export function describeCaughtError(error: CaughtError | undefined): {
  type: string;
  message: string;
} {
  let type = error?.Error || "Error";
  let message = "";
  const cause = error?.Cause ?? "";
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === "object" && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      if (typeof record.errorMessage === "string") message = record.errorMessage;
      if (typeof record.errorType === "string" && record.errorType) type = record.errorType;
    }
  } catch {
    message = cause;
  }
  // First line only, and never a stack frame even if someone put one on that line.
  let firstLine = message.split(/\r?\n/)[0] ?? "";
  firstLine = firstLine.replace(/\s+at\s+\S+\s+\(.*$/, "").trim();
  // No HTML comments either: one could carry another AFU-9 comment marker.
  const clean = redactForComment(firstLine).replace(/<!--/g, "&lt;!--");
  return {
    type: redactForComment(type).slice(0, 80),
    message: clean.length > MESSAGE_LIMIT ? `${clean.slice(0, MESSAGE_LIMIT)}…` : clean,
  };
}

/** Where the run stopped, read from which results the state already holds. */
export function stoppedAt(state: WorkflowState): string {
  if (!state.analysis) return "analysing the issue";
  if (!state.patch) return "generating the patch";
  if (!state.validation) return "validating the patch";
  if (!state.pr) return "opening the pull request";
  if (!state.ci) return "checking CI";
  if (!state.merge) {
    return state.ci.outcome === "success" ? "merging the pull request" : "reporting the CI result";
  }
  return "finishing the run";
}

export function failureComment(state: WorkflowState): string {
  const { type, message } = describeCaughtError(state.error);
  const lines = [
    `**AFU-9 stopped** while ${stoppedAt(state)}.`,
    "",
    message ? `Reason (${type}): ${message.replace(/`/g, "'")}` : `Reason: ${type}.`,
    "",
    `Nothing further will happen for this run. Operators: see the logs of delivery ` +
      `\`${state.delivery.id.replace(/[^A-Za-z0-9-]/g, "")}\`. To retry, address the reason and ` +
      "trigger AFU-9 on this issue again.",
  ];
  return lines.join("\n");
}

export async function reportFailure(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<Record<string, never>> {
  const octokit = await deps.github(state.installationId);
  await upsertMarkedComment(
    octokit,
    { ...repoOf(state), issueNumber: state.issue.number },
    FAILURE_COMMENT_KIND,
    failureComment(state),
  );
  deps.logger.warn("run failed; reported on the issue", {
    issue: state.issue.number,
    error: state.error?.Error,
  });
  return {};
}
