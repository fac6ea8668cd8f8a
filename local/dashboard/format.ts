// Small formatting helpers shared by the dashboard's pages.
import type { CaughtErrorInfo } from "../state-machine-runner";
import type { RunRecord } from "../factory/run-records";

export function seconds(ms: number | undefined): string {
  if (ms === undefined) return "";
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function clockTime(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

/** A task error's Cause is Lambda's {errorType, errorMessage, trace} JSON: its message. */
export function errorMessage(error: CaughtErrorInfo): string {
  try {
    const parsed = JSON.parse(error.Cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") return parsed.errorMessage;
  } catch {
    // A Fail state's Cause or an interpreter message: shown as it is.
  }
  return error.Cause;
}

/** The state a running run is in now (its last entered state). */
export function currentState(run: RunRecord): string | undefined {
  return run.status === "RUNNING" ? run.visits[run.visits.length - 1]?.name : undefined;
}

/** What a run came to: its final state (Merged, CIFailed, NotActionable, Failed, ...). */
export function outcomeOf(run: RunRecord): {
  text: string;
  tone: "live" | "good" | "bad" | "plain";
} {
  const last = run.visits[run.visits.length - 1]?.name;
  if (run.status === "RUNNING") return { text: `running: ${last ?? "starting"}`, tone: "live" };
  if (run.status !== "SUCCEEDED") {
    return { text: `${run.status.toLowerCase()} at ${last ?? "start"}`, tone: "bad" };
  }
  const tone =
    last === "Merged" ? "good" : last === "CIFailed" || last === "CITimedOut" ? "bad" : "plain";
  return { text: last ?? "succeeded", tone };
}

export function runDurationMs(run: RunRecord, now: number): number {
  return run.durationMs ?? now - Date.parse(run.startedAt);
}
