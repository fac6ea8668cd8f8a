// What a red CI says, read from GitHub for the PR head: per failing check run its title, summary,
// text and annotations; failing commit statuses with description and link; for GitHub Actions
// jobs the log lines around `##[error]`. Every piece is bounded in bytes and sanitized here, so
// nothing unbounded or hidden leaves this module. The signature identifies the failure: the same
// signature after a repair means the repair changed nothing CI cares about.
import { createHash } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "../../github/errors";
import type { RepoRef } from "../../github/git-trees";
import { clipBytes, sanitizeUntrustedText } from "../../untrusted-text/sanitize";

export const EVIDENCE_LIMITS = {
  checks: 5,
  statuses: 5,
  outputBytes: 4000,
  annotations: 20,
  annotationBytes: 500,
  logBytes: 6000,
  logContextLines: 6,
};

const PASSING = ["success", "neutral", "skipped"];

export interface Annotation {
  path: string;
  line: number;
  message: string;
}

export interface CheckEvidence {
  name: string;
  conclusion: string;
  title: string;
  summary: string;
  text: string;
  annotations: Annotation[];
  /** GitHub Actions jobs only: the log lines around `##[error]` (or its tail). */
  log?: string;
}

export interface StatusEvidence {
  context: string;
  state: string;
  description: string;
  targetUrl: string;
}

export interface FailureEvidence {
  checks: CheckEvidence[];
  statuses: StatusEvidence[];
  signature: string;
  /** Check and status names, for the round record. */
  failed: string[];
}

function clean(text: string | null | undefined, maxBytes: number): string {
  return clipBytes(sanitizeUntrustedText(text).text, maxBytes);
}

/** The lines around each `##[error]` line (merged windows), else the log's tail. */
export function errorContext(log: string, contextLines: number, maxBytes: number): string {
  const lines = log.replace(/\r\n/g, "\n").split("\n");
  const keep = new Set<number>();
  lines.forEach((line, index) => {
    if (!line.includes("##[error]")) return;
    for (let i = Math.max(0, index - contextLines); i <= index + 1 && i < lines.length; i++) {
      keep.add(i);
    }
  });
  const text =
    keep.size === 0
      ? lines.slice(-contextLines * 4).join("\n")
      : [...keep]
          .sort((a, b) => a - b)
          .map((i, n, all) => (n > 0 && all[n - 1] !== i - 1 ? `...\n${lines[i]}` : lines[i]))
          .join("\n");
  return clipBytes(sanitizeUntrustedText(text).text, maxBytes, "tail");
}

async function readJobLog(octokit: Octokit, ref: RepoRef, jobId: number): Promise<string | null> {
  try {
    const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
      ...ref,
      job_id: jobId,
    });
    return typeof data === "string" ? data : String(data ?? "");
  } catch (error) {
    // Logs expire, and an App without `actions: read` gets 403: the rest is still evidence.
    if ([403, 404, 410].includes(httpStatus(error) ?? 0)) return null;
    throw error;
  }
}

function signatureOf(checks: CheckEvidence[], statuses: StatusEvidence[]): string {
  // Numbers in messages (durations, counts) vary from run to run; lines and paths do not.
  const parts = [
    ...checks.flatMap((check) => [
      `check:${check.name}:${check.conclusion}`,
      ...check.annotations.map((a) => `annotation:${a.path}:${a.line}:${a.message}`),
      ...(check.log ?? "")
        .split("\n")
        .filter((line) => line.includes("##[error]"))
        .map((line) => `error:${line.replace(/\b\d+(\.\d+)?(ms|s)\b/g, "#")}`),
    ]),
    ...statuses.map((status) => `status:${status.context}:${status.state}:${status.description}`),
  ].sort();
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}

export async function gatherFailureEvidence(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  limits = EVIDENCE_LIMITS,
): Promise<FailureEvidence> {
  const { data } = await octokit.rest.checks.listForRef({ ...ref, ref: headSha, per_page: 100 });
  const failing = data.check_runs
    .filter((run) => run.status === "completed" && !PASSING.includes(run.conclusion ?? ""))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limits.checks);
  const checks: CheckEvidence[] = [];
  for (const run of failing) {
    const { data: annotations } = await octokit.rest.checks.listAnnotations({
      ...ref,
      check_run_id: run.id,
      per_page: 50,
    });
    const isActionsJob = run.app?.slug === "github-actions";
    const log = isActionsJob ? await readJobLog(octokit, ref, run.id) : null;
    checks.push({
      name: clean(run.name, 200),
      conclusion: run.conclusion ?? "unknown",
      title: clean(run.output.title, 500),
      summary: clean(run.output.summary, limits.outputBytes),
      text: clean(run.output.text, limits.outputBytes),
      annotations: annotations
        .filter((a) => a.annotation_level !== "notice")
        .slice(0, limits.annotations)
        .map((a) => ({
          path: clean(a.path, 300),
          line: a.start_line,
          message: clean(a.message, limits.annotationBytes),
        })),
      ...(log !== null ? { log: errorContext(log, limits.logContextLines, limits.logBytes) } : {}),
    });
  }
  const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({
    ...ref,
    ref: headSha,
    per_page: 100,
  });
  const statuses: StatusEvidence[] = combined.statuses
    .filter((status) => status.state === "failure" || status.state === "error")
    .slice(0, limits.statuses)
    .map((status) => ({
      context: clean(status.context, 200),
      state: status.state,
      description: clean(status.description, 500),
      targetUrl: /^https?:\/\//.test(status.target_url ?? "") ? clean(status.target_url, 500) : "",
    }));
  return {
    checks,
    statuses,
    signature: signatureOf(checks, statuses),
    failed: [...checks.map((c) => c.name), ...statuses.map((s) => s.context)].slice(0, 10),
  };
}

/** True when CI gave nothing to read: no output, annotations, logs or status descriptions. */
export function isEmptyEvidence(evidence: FailureEvidence): boolean {
  const checkSays = evidence.checks.some(
    (c) => c.summary || c.text || c.annotations.length > 0 || c.log,
  );
  return !checkSays && !evidence.statuses.some((s) => s.description);
}
