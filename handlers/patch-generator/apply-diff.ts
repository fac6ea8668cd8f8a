// Applies parsed unified diffs with `git apply` semantics (git's apply.c, default options): each
// hunk is searched from its new-side position outwards (line, +1, -1, +2, ...), context must match
// exactly, a hunk starting at old line 0/1 must match at the file start and a hunk without trailing
// context at the end, lines written by an earlier hunk never match again, and nothing is written
// unless every hunk of every file applies. One extension, off by default: `adaptLineEndings`
// retries a hunk with CRLF terminators on a CRLF file (diffs pasted into issues lose their CRs).
import { isSafeRepoPath } from "../patch-text/safe-path";
import { patchError } from "../patch-text/patch-errors";
import type { DiffHunk, FilePatch } from "../patch-text/unified-diff";
import type { TreeFile } from "../patch-text/tree-file";

/** One file of the tree a patch is applied to. */

/** Reads the base tree: null when the path does not exist. */
export type ReadTreeFile = (path: string) => TreeFile | null;

export interface ApplyOptions {
  adaptLineEndings?: boolean;
}

/** The final state of every path a patch touched (null: deleted). */
export interface AppliedTree {
  files: Map<string, TreeFile | null>;
  renames: Array<{ from: string; to: string }>;
}

interface ImageLine {
  text: string;
  patched: boolean;
}

function toImage(content: string): ImageLine[] {
  const lines: ImageLine[] = [];
  let start = 0;
  while (start < content.length) {
    const end = content.indexOf("\n", start);
    const stop = end === -1 ? content.length : end + 1;
    lines.push({ text: content.slice(start, stop), patched: false });
    start = stop;
  }
  return lines;
}

function matchesAt(
  image: ImageLine[],
  pre: string[],
  at: number,
  matchBeginning: boolean,
  matchEnd: boolean,
): boolean {
  if (at + pre.length > image.length) return false;
  if (matchEnd && at + pre.length !== image.length) return false;
  if (matchBeginning && at !== 0) return false;
  for (let i = 0; i < pre.length; i++) {
    const line = image[at + i];
    if (line.patched || line.text !== pre[i]) return false;
  }
  return true;
}

/** git's find_pos: nearest match to `line`, alternating forwards and backwards. */
function findPosition(
  image: ImageLine[],
  pre: string[],
  start: number,
  matchBeginning: boolean,
  matchEnd: boolean,
): number {
  let line = start;
  if (matchBeginning) line = 0;
  else if (matchEnd) line = image.length - pre.length;
  // git compares unsigned: a negative start (preimage longer than the file) becomes the end.
  if (line < 0 || line > image.length) line = image.length;
  let backwards = line;
  let forwards = line;
  let current = line;
  for (let i = 0; ; i++) {
    if (matchesAt(image, pre, current, matchBeginning, matchEnd)) return current;
    for (;;) {
      if (backwards === 0 && forwards === image.length) return -1;
      if (i & 1) {
        if (backwards === 0) {
          i++;
          continue;
        }
        backwards--;
        current = backwards;
      } else {
        if (forwards === image.length) {
          i++;
          continue;
        }
        forwards++;
        current = forwards;
      }
      break;
    }
  }
}

function sides(hunk: DiffHunk, crlf: boolean): { pre: string[]; post: string[] } {
  const convert = (text: string) => (crlf ? text.replace(/\r?\n$/, "\r\n") : text);
  const pre: string[] = [];
  const post: string[] = [];
  for (const line of hunk.lines) {
    if (line.kind !== "+") pre.push(convert(line.text));
    if (line.kind !== "-") post.push(convert(line.text));
  }
  return { pre, post };
}

function isCrlfText(content: string): boolean {
  const newlines = content.split("\n").length - 1;
  const crlfs = content.split("\r\n").length - 1;
  return newlines > 0 && crlfs === newlines;
}

function describeHunk(path: string, hunk: DiffHunk, index: number): string {
  return `hunk #${index + 1} (${hunk.header.replace(/ @@.*$/, " @@")}) of ${path}`;
}

/** Applies the hunks of one file to `content`; throws PatchDoesNotApply naming the hunk. */
export function applyHunks(
  path: string,
  content: string,
  hunks: DiffHunk[],
  options: ApplyOptions = {},
): string {
  const image = toImage(content);
  const crlfFile = options.adaptLineEndings === true && isCrlfText(content);
  hunks.forEach((hunk, index) => {
    const matchBeginning = hunk.oldStart === 0 || hunk.oldStart === 1;
    const matchEnd = hunk.trailing === 0;
    const start = hunk.newStart ? hunk.newStart - 1 : 0;
    let { pre, post } = sides(hunk, false);
    let at = findPosition(image, pre, start, matchBeginning, matchEnd);
    if (at < 0 && crlfFile) {
      ({ pre, post } = sides(hunk, true));
      at = findPosition(image, pre, start, matchBeginning, matchEnd);
    }
    if (at < 0) {
      const where = matchBeginning
        ? "at the start of the file"
        : matchEnd
          ? "at the end of the file"
          : `near line ${hunk.oldStart}`;
      throw patchError(
        "PatchDoesNotApply",
        `${describeHunk(path, hunk, index)} does not apply: its ${pre.length} context/removed ` +
          `line(s) were not found ${where} (the file differs from what the diff was made against; ` +
          `regenerate the diff against the current default branch)`,
      );
    }
    image.splice(at, pre.length, ...post.map((text) => ({ text, patched: true })));
  });
  return image.map((line) => line.text).join("");
}

function fileTypeOf(mode: string | undefined): string {
  return (mode ?? "100644").slice(0, 3) === "100" ? "file" : (mode ?? "");
}

/**
 * Applies every file patch in order to the tree read through `read`. All-or-nothing: any failure
 * throws (PatchDoesNotApply / PatchUnsupported / PatchUnsafe) before anything is returned.
 */
export function applyFilePatches(
  patches: FilePatch[],
  read: ReadTreeFile,
  options: ApplyOptions = {},
): AppliedTree {
  const state = new Map<string, TreeFile | null>();
  const renames: Array<{ from: string; to: string }> = [];
  const current = (path: string) => (state.has(path) ? state.get(path)! : read(path));
  // Like git, renames and deletions of the whole patch are known before applying, so "a -> b" can
  // be followed by a new "a" in the same diff.
  const toBeDeleted = new Set<string>();
  for (const patch of patches) {
    if (patch.oldPath !== null && (patch.isRename || patch.newPath === null)) {
      toBeDeleted.add(patch.oldPath);
    }
  }
  for (const patch of patches) {
    const name = (patch.newPath ?? patch.oldPath)!;
    for (const path of [patch.oldPath, patch.newPath]) {
      if (path !== null && !isSafeRepoPath(path)) {
        throw patchError(
          "PatchUnsafe",
          `invalid path '${path}' (outside the repository or in .git)`,
        );
      }
    }
    if (patch.isBinary) {
      throw patchError(
        "PatchUnsupported",
        `${name}: binary patches are not supported; attach the file to a pull request instead`,
      );
    }
    let base: TreeFile | null = null;
    if (patch.oldPath !== null) {
      // Rename/copy sources are read from the original tree (git: they do not depend on order).
      base = patch.isRename || patch.isCopy ? read(patch.oldPath) : current(patch.oldPath);
      if (base === null) {
        throw patchError(
          "PatchDoesNotApply",
          `${patch.oldPath}: No such file in the repository (the diff changes a file that does not exist)`,
        );
      }
      if (patch.oldMode && fileTypeOf(patch.oldMode) !== fileTypeOf(base.mode)) {
        throw patchError("PatchDoesNotApply", `${patch.oldPath}: wrong type`);
      }
    }
    if (patch.newPath !== null && (patch.isNew || patch.isRename || patch.isCopy)) {
      const existing = current(patch.newPath);
      const goingAway = toBeDeleted.has(patch.newPath) && !state.has(patch.newPath);
      if (existing !== null && !goingAway) {
        throw patchError(
          "PatchDoesNotApply",
          `${patch.newPath}: already exists in the repository (the diff creates it)`,
        );
      }
    }
    const oldContent = base?.content ?? "";
    const newContent = applyHunks(name, oldContent, patch.hunks, options);
    if (patch.newPath === null) {
      if (newContent.length > 0) {
        throw patchError(
          "PatchDoesNotApply",
          `${patch.oldPath}: removal patch leaves file contents (the file has more lines than the diff deletes)`,
        );
      }
      state.set(patch.oldPath!, null);
      continue;
    }
    const mode = patch.newMode ?? base?.mode ?? "100644";
    if (patch.isRename) {
      state.set(patch.oldPath!, null);
      renames.push({ from: patch.oldPath!, to: patch.newPath });
    }
    state.set(patch.newPath, { content: newContent, mode });
  }
  return { files: state, renames };
}
