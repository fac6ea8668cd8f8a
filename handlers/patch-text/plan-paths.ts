// Paths of a patch plan that no patch may write: the interpreter refuses such a plan up front, so
// the analysis never shows a plan as fine that GeneratePatch would refuse.
import type { PatchPlan } from "../../contract/state";
import { hiddenCharactersIn, revealHiddenCharacters } from "./hidden-characters";
import { isSafeRepoPath } from "./safe-path";

/** The plan's unsafe paths, hidden characters shown as <U+XXXX>. */
export function unsafePlanPaths(plan: PatchPlan): string[] {
  return plan.files
    .filter((path) => !isSafeRepoPath(path) || hiddenCharactersIn(path).length > 0)
    .map(revealHiddenCharacters);
}
