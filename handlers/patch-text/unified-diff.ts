// Parser for unified diffs as `git diff` writes them (and plain `diff -u` output), following
// git's own parser (apply.c): extended headers (modes, new/deleted, rename/copy), hunks whose line
// counts must add up, "\ No newline at end of file", and an empty line read as an empty context
// line. Line terminators are kept byte for byte, so CRLF content survives.
import { patchError } from "./patch-errors";

export type HunkLineKind = " " | "-" | "+";

export interface HunkLine {
  kind: HunkLineKind;
  /** The line as it is in the file, with its terminator unless "\ No newline" followed it. */
  text: string;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  header: string;
  lines: HunkLine[];
  /** Context lines before the first change / after the last one (git's leading/trailing). */
  leading: number;
  trailing: number;
  /** 1-based line of the "@@" header in the patch text, for error messages. */
  patchLine: number;
}

export interface FilePatch {
  /** Path before (null for a new file); prefix "a/" already stripped. */
  oldPath: string | null;
  /** Path after (null for a deletion). */
  newPath: string | null;
  isNew: boolean;
  isDeleted: boolean;
  isRename: boolean;
  isCopy: boolean;
  oldMode?: string;
  newMode?: string;
  isBinary: boolean;
  hunks: DiffHunk[];
  /** 1-based line where this file's patch starts. */
  patchLine: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function splitKeepingTerminators(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    if (end === -1) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  return lines;
}

function chomp(line: string): string {
  return line.replace(/\r?\n$/, "");
}

/** Decodes git's C-style quoted path ("a/t\303\244st" -> a/täst). */
function unquoteCStyle(quoted: string): string {
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = {
    a: 7,
    b: 8,
    t: 9,
    n: 10,
    v: 11,
    f: 12,
    r: 13,
    '"': 34,
    "\\": 92,
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[i + 1];
    if (next !== undefined && /[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (next !== undefined && simple[next] !== undefined) {
      bytes.push(simple[next]);
      i += 1;
    } else {
      throw patchError("PatchCorrupt", `bad escape in quoted path ${quoted}`);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Reads one possibly quoted name at the start of `text`; returns it and the rest. */
function takeName(text: string): { name: string; rest: string } {
  if (text.startsWith('"')) {
    let i = 1;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    const quoted = text.slice(0, i + 1);
    return { name: unquoteCStyle(quoted), rest: text.slice(i + 1) };
  }
  return { name: text, rest: "" };
}

/** Drops the first path component ("a/x" -> "x"), as `git apply` does by default (-p1). */
function stripPrefix(name: string): string {
  const slash = name.indexOf("/");
  return slash === -1 ? name : name.slice(slash + 1);
}

/** Name from a "--- " / "+++ " line: null for /dev/null; timestamps after a tab dropped. */
function nameFromFileLine(line: string): string | null {
  let value = chomp(line).slice(4);
  if (value.startsWith('"')) {
    value = takeName(value).name;
  } else {
    const tab = value.indexOf("\t");
    if (tab !== -1) value = value.slice(0, tab);
    value = value.trimEnd();
  }
  if (value === "/dev/null") return null;
  return stripPrefix(value);
}

/** "diff --git a/x b/y": both names; with unquoted names containing spaces, the split that
 * makes both sides equal wins (git's rule for headers without ---/+++ lines). */
function namesFromGitHeader(line: string): { oldPath: string | null; newPath: string | null } {
  const rest = chomp(line).slice("diff --git ".length);
  if (rest.startsWith('"')) {
    const first = takeName(rest);
    const second = first.rest.trimStart();
    const b = second.startsWith('"') ? takeName(second).name : second;
    return { oldPath: stripPrefix(first.name), newPath: stripPrefix(b) };
  }
  const quoteAt = rest.indexOf(' "');
  if (quoteAt !== -1) {
    return {
      oldPath: stripPrefix(rest.slice(0, quoteAt)),
      newPath: stripPrefix(takeName(rest.slice(quoteAt + 1)).name),
    };
  }
  for (let i = rest.indexOf(" "); i !== -1; i = rest.indexOf(" ", i + 1)) {
    const a = stripPrefix(rest.slice(0, i));
    const b = stripPrefix(rest.slice(i + 1));
    if (a === b) return { oldPath: a, newPath: b };
  }
  const split = rest.indexOf(" b/");
  if (split === -1) return { oldPath: null, newPath: null };
  return {
    oldPath: stripPrefix(rest.slice(0, split)),
    newPath: stripPrefix(rest.slice(split + 1)),
  };
}

function parseHunk(lines: string[], start: number): { hunk: DiffHunk; next: number } {
  const header = chomp(lines[start]);
  const match = HUNK_HEADER.exec(header);
  if (!match)
    throw patchError("PatchCorrupt", `corrupt patch at line ${start + 1}: bad hunk header`);
  const oldStart = Number(match[1]);
  const oldLines = match[2] === undefined ? 1 : Number(match[2]);
  const newStart = Number(match[3]);
  const newLines = match[4] === undefined ? 1 : Number(match[4]);
  let oldLeft = oldLines;
  let newLeft = newLines;
  const hunkLines: HunkLine[] = [];
  let leading = 0;
  let trailing = 0;
  let changes = 0;
  let i = start + 1;
  const markNoNewline = () => {
    const last = hunkLines[hunkLines.length - 1];
    if (!last) throw patchError("PatchCorrupt", `corrupt patch at line ${i + 1}`);
    last.text = last.text.replace(/\n$/, "");
  };
  while (oldLeft > 0 || newLeft > 0) {
    const line = lines[i];
    if (line === undefined) {
      throw patchError(
        "PatchCorrupt",
        `corrupt patch at line ${i + 1}: hunk "${header}" ends early (its line counts do not add up)`,
      );
    }
    const first = line[0];
    if (line === "\n" || first === " ") {
      if (oldLeft === 0 || newLeft === 0) {
        throw patchError("PatchCorrupt", `corrupt patch at line ${i + 1}: too many context lines`);
      }
      hunkLines.push({ kind: " ", text: line === "\n" ? "\n" : line.slice(1) });
      oldLeft--;
      newLeft--;
      if (changes === 0) leading++;
      trailing++;
    } else if (first === "-") {
      if (oldLeft === 0) {
        throw patchError("PatchCorrupt", `corrupt patch at line ${i + 1}: too many removed lines`);
      }
      hunkLines.push({ kind: "-", text: line.slice(1) });
      oldLeft--;
      changes++;
      trailing = 0;
    } else if (first === "+") {
      if (newLeft === 0) {
        throw patchError("PatchCorrupt", `corrupt patch at line ${i + 1}: too many added lines`);
      }
      hunkLines.push({ kind: "+", text: line.slice(1) });
      newLeft--;
      changes++;
      trailing = 0;
    } else if (line.startsWith("\\ ") && line.length >= 12) {
      markNoNewline();
    } else {
      throw patchError(
        "PatchCorrupt",
        `corrupt patch at line ${i + 1}: expected a context, "-" or "+" line in hunk "${header}"`,
      );
    }
    i++;
  }
  if (lines[i] !== undefined && lines[i].startsWith("\\ ") && lines[i].length >= 12) {
    markNoNewline();
    i++;
  }
  if (changes === 0) {
    throw patchError("PatchCorrupt", `corrupt patch at line ${start + 1}: hunk changes nothing`);
  }
  return {
    hunk: {
      oldStart,
      oldLines,
      newStart,
      newLines,
      header,
      lines: hunkLines,
      leading,
      trailing,
      patchLine: start + 1,
    },
    next: i,
  };
}

function readHunks(lines: string[], start: number, patch: FilePatch): number {
  let i = start;
  while (i < lines.length && lines[i].startsWith("@@ -")) {
    const { hunk, next } = parseHunk(lines, i);
    patch.hunks.push(hunk);
    i = next;
  }
  return i;
}

function parseGitPatch(lines: string[], start: number): { patch: FilePatch; next: number } {
  const names = namesFromGitHeader(lines[start]);
  const patch: FilePatch = {
    oldPath: names.oldPath,
    newPath: names.newPath,
    isNew: false,
    isDeleted: false,
    isRename: false,
    isCopy: false,
    isBinary: false,
    hunks: [],
    patchLine: start + 1,
  };
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = chomp(lines[i]);
    const value = (prefix: string) => line.slice(prefix.length);
    if (line.startsWith("old mode ")) patch.oldMode = value("old mode ");
    else if (line.startsWith("new mode ")) patch.newMode = value("new mode ");
    else if (line.startsWith("deleted file mode ")) {
      patch.isDeleted = true;
      patch.oldMode = value("deleted file mode ");
    } else if (line.startsWith("new file mode ")) {
      patch.isNew = true;
      patch.newMode = value("new file mode ");
    } else if (line.startsWith("rename from ")) {
      patch.isRename = true;
      patch.oldPath = takeName(value("rename from ")).name;
    } else if (line.startsWith("rename to ")) {
      patch.isRename = true;
      patch.newPath = takeName(value("rename to ")).name;
    } else if (line.startsWith("copy from ")) {
      patch.isCopy = true;
      patch.oldPath = takeName(value("copy from ")).name;
    } else if (line.startsWith("copy to ")) {
      patch.isCopy = true;
      patch.newPath = takeName(value("copy to ")).name;
    } else if (line.startsWith("similarity index ") || line.startsWith("dissimilarity index ")) {
      continue;
    } else if (line.startsWith("index ")) {
      // Like git, the mode here only describes the old file; the result keeps the file's own mode.
      const mode = /^index [0-9a-f]+\.\.[0-9a-f]+ (\d{6})$/.exec(line);
      if (mode && !patch.oldMode) patch.oldMode = mode[1];
    } else if (line.startsWith("--- ")) {
      const name = nameFromFileLine(lines[i]);
      if (name !== null) patch.oldPath = name;
    } else if (line.startsWith("+++ ")) {
      const name = nameFromFileLine(lines[i]);
      if (name !== null) patch.newPath = name;
    } else if (line.startsWith("Binary files ") || line === "GIT binary patch") {
      patch.isBinary = true;
    } else {
      break;
    }
  }
  if (patch.isNew) patch.oldPath = null;
  if (patch.isDeleted) patch.newPath = null;
  if (patch.oldPath === null && patch.newPath === null) {
    throw patchError(
      "PatchCorrupt",
      `corrupt patch at line ${start + 1}: git diff header lacks filename information`,
    );
  }
  return { patch, next: readHunks(lines, i, patch) };
}

function parseTraditionalPatch(lines: string[], start: number): { patch: FilePatch; next: number } {
  const oldPath = nameFromFileLine(lines[start]);
  const newPath = nameFromFileLine(lines[start + 1]);
  const patch: FilePatch = {
    oldPath,
    newPath,
    isNew: oldPath === null,
    isDeleted: newPath === null,
    isRename: false,
    isCopy: false,
    isBinary: false,
    hunks: [],
    patchLine: start + 1,
  };
  if (oldPath !== null && newPath !== null && oldPath !== newPath) {
    // `diff -u old new` of one file: git applies it to the new name unless only the old exists.
    patch.oldPath = newPath;
  }
  return { patch, next: readHunks(lines, start + 2, patch) };
}

/**
 * Parses every file patch in `text`; text around them (mail headers, prose) is ignored like
 * `git apply` ignores it. Throws PatchCorrupt for a malformed patch, with its line number.
 */
export function parseUnifiedDiff(text: string): FilePatch[] {
  const lines = splitKeepingTerminators(text);
  const patches: FilePatch[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("diff --git ")) {
      const { patch, next } = parseGitPatch(lines, i);
      patches.push(patch);
      i = next;
    } else if (
      line.startsWith("--- ") &&
      lines[i + 1]?.startsWith("+++ ") &&
      lines[i + 2]?.startsWith("@@ -")
    ) {
      const { patch, next } = parseTraditionalPatch(lines, i);
      patches.push(patch);
      i = next;
    } else {
      i++;
    }
  }
  if (patches.length === 0) throw patchError("PatchCorrupt", "No valid patches in input");
  return patches;
}
