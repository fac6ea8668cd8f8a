// The CI verdict for one commit, as a pure function of what GitHub reports. Auto-merge trusts this
// verdict, so "green" is strict: every check and status passed AND every check the base branch
// requires (classic branch protection or a ruleset) has reported. Anything unknown, missing or still running is not green.
import type { CiFailure, CiOutcome } from "../../contract/state";

/** One check run as GitHub lists it for a ref (only the fields the verdict needs). */
export interface CheckRunSignal {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  title?: string | null;
  summary?: string | null;
  url?: string | null;
}

/** One commit status (the latest per context, as the combined status reports it). */
export interface StatusSignal {
  context: string;
  state: string;
  description?: string | null;
  url?: string | null;
}

export interface CiSignals {
  checkRuns: CheckRunSignal[];
  statuses: StatusSignal[];
  /** Check/status names the base branch requires: branch protection and rulesets, unioned. */
  requiredChecks: string[];
}

export interface CiTiming {
  /** Seconds since the factory opened the pull request (or pushed this patch to it). */
  elapsedSeconds: number;
  ciNoChecksGraceSeconds: number;
  ciMaxWaitSeconds: number;
}

export interface CiVerdict {
  outcome: CiOutcome;
  failures: CiFailure[];
  pendingChecks: string[];
  /** true when nothing at all reported (no check run, no status) for the commit. */
  noSignals: boolean;
}

/** Conclusions that make the whole commit red (GitHub's check run conclusion values). */
export const FAILING_CHECK_CONCLUSIONS: readonly string[] = [
  "failure",
  "timed_out",
  "cancelled",
  "action_required",
  "startup_failure",
  "stale",
];

/** Conclusions that count as passed. Anything else (unknown, missing) is not green. */
export const PASSING_CHECK_CONCLUSIONS: readonly string[] = ["success", "neutral", "skipped"];

const FAILING_STATUS_STATES: readonly string[] = ["failure", "error"];

/** Summaries of failing checks can be long logs: the comment keeps a readable excerpt. */
const SUMMARY_LIMIT = 500;

/**
 * The verdict travels through Step Functions state (256 KiB cap): at most this many failures and
 * pending names are kept (a huge failing matrix still fits); the outcome counts all of them.
 */
export const CI_LIST_LIMIT = 100;

/**
 * Keeps the most recent run per check name. A re-run creates a new check run with a higher id,
 * so an old failure that was re-run successfully no longer counts (and vice versa).
 */
export function latestCheckRunPerName(runs: CheckRunSignal[]): CheckRunSignal[] {
  const latest = new Map<string, CheckRunSignal>();
  for (const run of runs) {
    const seen = latest.get(run.name);
    if (!seen || run.id > seen.id) latest.set(run.name, run);
  }
  return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function excerpt(text: string | null | undefined): string | undefined {
  const trimmed = (text ?? "").trim();
  if (!trimmed) return undefined;
  return trimmed.length > SUMMARY_LIMIT ? `${trimmed.slice(0, SUMMARY_LIMIT)}…` : trimmed;
}

/** The red/green/yellow verdict before the clock is applied. */
export function classifyCiSignals(signals: CiSignals): Omit<CiVerdict, "outcome"> & {
  outcome: "success" | "failure" | "pending";
} {
  const checks = latestCheckRunPerName(signals.checkRuns);
  const failures: CiFailure[] = [];
  const pending: string[] = [];
  const passed = new Set<string>();

  for (const run of checks) {
    if (run.status !== "completed") {
      pending.push(run.name);
      continue;
    }
    const conclusion = run.conclusion ?? "";
    if (FAILING_CHECK_CONCLUSIONS.includes(conclusion)) {
      const summary = excerpt(
        run.title && run.summary ? `${run.title}: ${run.summary}` : (run.summary ?? run.title),
      );
      failures.push({
        kind: "check",
        name: run.name,
        conclusion,
        ...(summary ? { summary } : {}),
        ...(run.url ? { url: run.url } : {}),
      });
    } else if (PASSING_CHECK_CONCLUSIONS.includes(conclusion)) {
      passed.add(run.name);
    } else {
      // A completed run without a known conclusion is not evidence of success.
      pending.push(run.name);
    }
  }

  const statuses = [...signals.statuses].sort((a, b) => a.context.localeCompare(b.context));
  for (const status of statuses) {
    if (FAILING_STATUS_STATES.includes(status.state)) {
      const summary = excerpt(status.description);
      failures.push({
        kind: "status",
        name: status.context,
        conclusion: status.state,
        ...(summary ? { summary } : {}),
        ...(status.url ? { url: status.url } : {}),
      });
    } else if (status.state === "success") {
      passed.add(status.context);
    } else {
      pending.push(status.context);
    }
  }

  const reported = new Set([...checks.map((c) => c.name), ...statuses.map((s) => s.context)]);
  for (const required of [...new Set(signals.requiredChecks)].sort()) {
    if (!reported.has(required)) pending.push(`${required} (required, not reported yet)`);
  }

  const noSignals = checks.length === 0 && statuses.length === 0;
  let outcome: "success" | "failure" | "pending";
  if (failures.length > 0) outcome = "failure";
  else if (pending.length > 0 || noSignals) outcome = "pending";
  else outcome = "success";
  return {
    outcome,
    failures: failures.slice(0, CI_LIST_LIMIT),
    pendingChecks: pending.slice(0, CI_LIST_LIMIT),
    noSignals,
  };
}

/**
 * The full verdict including the clock: no signals at all stays pending for the grace period and
 * then becomes `no-ci`; anything still pending after the maximum wait becomes `timeout`.
 */
export function decideCiOutcome(signals: CiSignals, timing: CiTiming): CiVerdict {
  const verdict = classifyCiSignals(signals);
  if (verdict.outcome !== "pending") return verdict;
  if (verdict.noSignals && timing.elapsedSeconds >= timing.ciNoChecksGraceSeconds) {
    return { ...verdict, outcome: "no-ci" };
  }
  if (timing.elapsedSeconds >= timing.ciMaxWaitSeconds) {
    return { ...verdict, outcome: "timeout" };
  }
  return verdict;
}
