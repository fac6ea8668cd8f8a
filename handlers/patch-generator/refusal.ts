// GeneratePatch refused the issue's change (the state machine caught the error at $.patchRefusal):
// the refusal becomes a named violation, so the author reads what to fix on the issue and the run
// ends PatchRejected instead of Failed.
import type { CaughtError, Violation } from "../../contract/state";
import { FACTORY_ERRORS } from "../../contract/errors";

/** Violation rule per refused error name. */
const REFUSAL_RULES: Array<[string, string]> = [
  [FACTORY_ERRORS.PatchCorrupt, "patch-corrupt"],
  [FACTORY_ERRORS.PatchDoesNotApply, "does-not-apply"],
  [FACTORY_ERRORS.PatchUnsupported, "unsupported-change"],
  [FACTORY_ERRORS.PatchUnsafe, "path-outside-repo"],
  [FACTORY_ERRORS.NoPatchStrategy, "no-patch-strategy"],
  [FACTORY_ERRORS.IssueTextChanged, "issue-changed"],
];

/** Lambda puts `{errorType, errorMessage, trace}` JSON in Cause; only the message is shown. */
function messageOf(refusal: CaughtError): string {
  try {
    const parsed: unknown = JSON.parse(refusal.Cause ?? "");
    const message = (parsed as { errorMessage?: unknown } | null)?.errorMessage;
    if (typeof message === "string") return message.split(/\r?\n/)[0];
  } catch {
    // Not JSON: the Cause is the message itself.
  }
  return (refusal.Cause ?? "").split(/\r?\n/)[0] || "the change was refused";
}

export function refusalViolation(refusal: CaughtError): Violation {
  const rule = REFUSAL_RULES.find(([name]) => name === refusal.Error)?.[1] ?? "refused";
  return { rule, message: `${messageOf(refusal).slice(0, 400)} (${refusal.Error})` };
}
