// A comment starts a run only when it can change the outcome: it carries a diff block, SEARCH/REPLACE
// edit blocks or an `/afu9` command (the patch generator's own markers), and its author is
// plausibly a writer. author_association is only a cheap filter to skip conversation and
// strangers; the interpreter's permission lookup stays the check that authorizes a comment.
import { changeRequestIn } from "../patch-text/change-blocks";

/** Associations of people who may have write access (GitHub misreports some private members). */
const PLAUSIBLE_WRITERS = ["OWNER", "MEMBER", "COLLABORATOR"];

/** Why a comment starts no run, or undefined when it may. */
export function commentIgnoreReason(comment: unknown): string | undefined {
  const { body, author_association: association } = (comment ?? {}) as {
    body?: unknown;
    author_association?: unknown;
  };
  if (typeof association === "string" && !PLAUSIBLE_WRITERS.includes(association)) {
    return `comment author's association is ${association}: only owners, members and collaborators can change a run`;
  }
  if (typeof body !== "string" || changeRequestIn(body) === null) {
    return "comment carries no diff, edit blocks or /afu9 command: it cannot change the outcome";
  }
  return undefined;
}
