// Asked by the issue interpreter: which patch strategy applies to this issue, and which files it
// targets. The patch generator issue (#6) replaces this placeholder with the real detection; until
// then no strategy applies, so nothing is actionable (the trust rules stay in force regardless).
import type { PatchPlan } from "../shared/types";

export interface StrategyInput {
  title: string;
  body: string;
  /** Bodies of comments from people with write permission, oldest first. */
  trustedComments: string[];
}

export function detectPatchStrategy(_input: StrategyInput): PatchPlan | null {
  return null;
}
