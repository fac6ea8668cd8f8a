// A change set is what every strategy produces and what validation and the writers consume: the
// old and new content of each changed path. It lives only inside one invocation; the state machine
// gets the summary (path, kind, line counts), never contents.
import type { FileChangeSummary } from "../../contract/state";
import type { AppliedTree, ReadTreeFile } from "./apply-diff";
import type { TreeFile } from "../patch-text/tree-file";
import { countChanges, formatHunks } from "./line-diff";

export interface FileChange {
  path: string;
  change: FileChangeSummary["change"];
  previousPath?: string;
  /** null for an added file */
  oldFile: TreeFile | null;
  /** null for a deleted file */
  newFile: TreeFile | null;
}

/** Turns the final state of touched paths into changes; paths left as they were drop out. */
export function toChangeSet(applied: AppliedTree, read: ReadTreeFile): FileChange[] {
  const changes: FileChange[] = [];
  const consumed = new Set<string>();
  for (const { from, to } of applied.renames) {
    const before = read(from);
    const after = applied.files.get(to) ?? null;
    if (before && after && applied.files.get(from) === null && read(to) === null) {
      changes.push({
        path: to,
        change: "renamed",
        previousPath: from,
        oldFile: before,
        newFile: after,
      });
      consumed.add(from).add(to);
    }
  }
  for (const [path, after] of applied.files) {
    if (consumed.has(path)) continue;
    const before = read(path);
    if (before === null && after !== null) {
      changes.push({ path, change: "added", oldFile: null, newFile: after });
    } else if (before !== null && after === null) {
      changes.push({ path, change: "deleted", oldFile: before, newFile: null });
    } else if (
      before !== null &&
      after !== null &&
      (before.content !== after.content || before.mode !== after.mode)
    ) {
      changes.push({ path, change: "modified", oldFile: before, newFile: after });
    }
  }
  return changes.sort((x, y) => x.path.localeCompare(y.path));
}

export function summarizeChange(change: FileChange): FileChangeSummary {
  const { additions, deletions } = countChanges(
    change.oldFile?.content ?? "",
    change.newFile?.content ?? "",
  );
  return {
    path: change.path,
    change: change.change,
    ...(change.previousPath ? { previousPath: change.previousPath } : {}),
    additions,
    deletions,
  };
}

function quotePath(prefix: string, path: string): string {
  // git quotes names with control characters, quotes or backslashes.
  const needsQuotes = [...path].some((ch) => ch === '"' || ch === "\\" || ch.charCodeAt(0) < 32);
  return needsQuotes ? JSON.stringify(`${prefix}${path}`) : `${prefix}${path}`;
}

/** The change set as a git-style unified diff (what `afu9 patch` prints; `git apply` reads it). */
export function formatChangeSet(changes: FileChange[]): string {
  let out = "";
  for (const change of changes) {
    const oldPath = change.previousPath ?? change.path;
    out += `diff --git ${quotePath("a/", oldPath)} ${quotePath("b/", change.path)}\n`;
    const oldMode = change.oldFile?.mode;
    const newMode = change.newFile?.mode;
    if (change.change === "added") out += `new file mode ${newMode}\n`;
    else if (change.change === "deleted") out += `deleted file mode ${oldMode}\n`;
    else if (oldMode !== newMode) out += `old mode ${oldMode}\nnew mode ${newMode}\n`;
    if (change.change === "renamed") {
      out += `rename from ${quotePath("", oldPath)}\nrename to ${quotePath("", change.path)}\n`;
    }
    const hunks = formatHunks(change.oldFile?.content ?? "", change.newFile?.content ?? "");
    if (hunks) {
      out += `--- ${change.oldFile ? quotePath("a/", oldPath) : "/dev/null"}\n`;
      out += `+++ ${change.newFile ? quotePath("b/", change.path) : "/dev/null"}\n`;
      out += hunks;
    }
  }
  return out;
}
