// Explicit edit instructions in issue text, parsed into edits and applied to files:
//  - SEARCH/REPLACE blocks naming a file (the format the AI provider must answer in, too):
//        path/to/file.ts
//        <<<<<<< SEARCH
//        old lines
//        =======
//        new lines
//        >>>>>>> REPLACE
//  - "replace `X` with `Y` in `path`" (and "change `X` to `Y` in `path`"), in German
//    "ersetze `X` durch `Y` in `path`" / "in `path` `X` durch `Y` ersetzen";
//  - "create file `path`" / "erstelle die Datei `path`" followed by a fenced block with the content.
import type { TreeFile } from "./tree-file";
import { DIVIDER, REPLACE_END, SEARCH_START } from "./change-blocks";
import { patchError } from "./patch-errors";
import { findFencedBlocks, markdownLines } from "./markdown";

export type EditInstruction =
  | { kind: "search-replace"; path: string; search: string; replace: string }
  | { kind: "replace-text"; path: string; find: string; replaceWith: string }
  | { kind: "create-file"; path: string; content: string };

/** A path-looking token from a line such as "`src/a.ts`", "**src/a.ts**", "File: src/a.ts:". */
export function pathFromLabel(line: string): string | null {
  let text = line.trim();
  text = text.replace(/^#+\s*/, "").replace(/^[-*]\s+/, "");
  text = text.replace(/^(?:file|datei|path|pfad)\s*:?\s*/i, "");
  text = text
    .replace(/^\*\*|\*\*$/g, "")
    .replace(/^`|`$/g, "")
    .replace(/:$/, "")
    .trim();
  text = text.replace(/^\.\//, "");
  if (!/^[^\s`<>|"']+$/.test(text)) return null;
  // A path has a file extension or a directory part ("Makefile" alone is accepted with a slash).
  if (!/\.[A-Za-z0-9]+$/.test(text) && !text.includes("/")) {
    return /^(?:Makefile|Dockerfile|LICENSE|README|CODEOWNERS|Procfile|Gemfile)$/.test(text)
      ? text
      : null;
  }
  return text;
}

function findBlockPath(lines: string[], searchLine: number): string | null {
  for (let i = searchLine - 1; i >= 0 && i >= searchLine - 4; i--) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const fence = /^\s*(?:`{3,}|~{3,})\s*(\S*)/.exec(line);
    if (fence) {
      // "```src/a.ts" carries the path as its info string.
      const fromInfo = fence[1] ? pathFromLabel(fence[1]) : null;
      if (fromInfo) return fromInfo;
      continue;
    }
    return pathFromLabel(line);
  }
  return null;
}

/** SEARCH/REPLACE blocks; a malformed block (no path, no divider, no end) throws naming it. */
export function parseSearchReplaceBlocks(text: string): EditInstruction[] {
  const lines = markdownLines(text);
  const edits: EditInstruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH_START.test(lines[i])) {
      // A stray end marker means a block lost its start: refuse rather than guess. (A lone
      // "=======" is left alone: markdown uses it to underline headings.)
      if (REPLACE_END.test(lines[i])) {
        throw patchError(
          "PatchCorrupt",
          `malformed SEARCH/REPLACE block: ">>>>>>> REPLACE" at line ${i + 1} without "<<<<<<< SEARCH"`,
        );
      }
      continue;
    }
    const path = findBlockPath(lines, i);
    if (!path) {
      throw patchError(
        "PatchCorrupt",
        `malformed SEARCH/REPLACE block at line ${i + 1}: put the file path on the line before "<<<<<<< SEARCH"`,
      );
    }
    const divider = lines.findIndex((line, index) => index > i && DIVIDER.test(line));
    const nextStart = lines.findIndex((line, index) => index > i && SEARCH_START.test(line));
    if (divider === -1 || (nextStart !== -1 && nextStart < divider)) {
      throw patchError(
        "PatchCorrupt",
        `malformed SEARCH/REPLACE block for ${path} at line ${i + 1}: no "=======" divider`,
      );
    }
    const end = lines.findIndex((line, index) => index > divider && REPLACE_END.test(line));
    const nextAfterDivider = lines.findIndex((l, index) => index > divider && SEARCH_START.test(l));
    if (end === -1 || (nextAfterDivider !== -1 && nextAfterDivider < end)) {
      throw patchError(
        "PatchCorrupt",
        `malformed SEARCH/REPLACE block for ${path} at line ${i + 1}: no ">>>>>>> REPLACE" end`,
      );
    }
    const join = (from: number, to: number) =>
      to > from ? `${lines.slice(from, to).join("\n")}\n` : "";
    edits.push({
      kind: "search-replace",
      path,
      search: join(i + 1, divider),
      replace: join(divider + 1, end),
    });
    i = end;
  }
  return edits;
}

const CODE = "`([^`\\n]+)`";
const CODE_OR_EMPTY = "`([^`\\n]*)`";
const FILE_WORD = "(?:(?:the\\s+)?file\\s+|(?:der\\s+)?datei\\s+)?";

/** Inline instruction phrasings; groups name which capture is find / replacement / path. */
const INLINE_PATTERNS: Array<{ re: RegExp; find: number; replace: number; path: number }> = [
  // replace `X` with `Y` in `path` / change `X` to `Y` in `path`
  {
    re: new RegExp(
      `\\b(?:replace|change|rename)\\s+${CODE}\\s+(?:with|to|by|into)\\s+${CODE_OR_EMPTY}\\s+in\\s+${FILE_WORD}${CODE}`,
      "gi",
    ),
    find: 1,
    replace: 2,
    path: 3,
  },
  // in `path`, replace `X` with `Y`
  {
    re: new RegExp(
      `\\bin\\s+${FILE_WORD}${CODE},?\\s+(?:replace|change|rename)\\s+${CODE}\\s+(?:with|to|by|into)\\s+${CODE_OR_EMPTY}`,
      "gi",
    ),
    find: 2,
    replace: 3,
    path: 1,
  },
  // ersetze `X` durch/mit `Y` in `path`; ändere `X` zu/in `Y` in `path`
  {
    re: new RegExp(
      `(?:ersetze|ersetzen\\s+sie|bitte\\s+ersetzen|ändere|aendere|ändern\\s+sie)\\s+${CODE}\\s+(?:durch|mit|zu|in|nach)\\s+${CODE_OR_EMPTY}\\s+in\\s+${FILE_WORD}${CODE}`,
      "gi",
    ),
    find: 1,
    replace: 2,
    path: 3,
  },
  // in `path` `X` durch `Y` ersetzen; in der Datei `path` bitte `X` durch `Y` ersetzen
  {
    re: new RegExp(
      `\\bin\\s+${FILE_WORD}${CODE},?\\s+(?:bitte\\s+|soll\\s+)?${CODE}\\s+(?:durch|mit|zu|in)\\s+${CODE_OR_EMPTY}\\s+(?:ersetzen|ersetzt\\s+werden|ändern|geändert\\s+werden)`,
      "gi",
    ),
    find: 2,
    replace: 3,
    path: 1,
  },
];

export function parseInlineReplacements(text: string): EditInstruction[] {
  const prose = normalizeProse(text);
  const found: Array<{ at: number; edit: EditInstruction }> = [];
  for (const { re, find, replace, path } of INLINE_PATTERNS) {
    // matchAll works on a copy of the regex: the shared module-level one keeps no state.
    for (const match of prose.matchAll(re)) {
      const target = pathFromLabel(match[path]);
      if (!target) continue;
      found.push({
        at: match.index ?? 0,
        edit: {
          kind: "replace-text",
          path: target,
          find: match[find],
          replaceWith: match[replace],
        },
      });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.edit);
}

/** Text outside fenced blocks (instructions are prose; code inside blocks is not an instruction). */
function normalizeProse(text: string): string {
  const lines = markdownLines(text);
  const blocks = findFencedBlocks(text);
  const inBlock = new Set<number>();
  for (const block of blocks) for (let i = block.startLine; i < block.endLine; i++) inBlock.add(i);
  return lines.filter((_, index) => !inBlock.has(index)).join("\n");
}

const CREATE_FILE = new RegExp(
  `(?:\\bcreate\\s+(?:a\\s+|the\\s+)?(?:new\\s+)?file|\\badd\\s+(?:a\\s+)?(?:new\\s+)?file|\\bnew\\s+file|erstelle\\s+(?:eine\\s+|die\\s+)?(?:neue\\s+)?datei|lege\\s+(?:eine\\s+|die\\s+)?(?:neue\\s+)?datei|neue\\s+datei|datei\\s+anlegen)\\s*:?\\s*${CODE}`,
  "gi",
);

/** "create file `path`" followed (after at most a few prose lines) by a fenced content block. */
export function parseCreateFileInstructions(text: string): EditInstruction[] {
  const lines = markdownLines(text);
  const blocks = findFencedBlocks(text);
  const edits: EditInstruction[] = [];
  lines.forEach((line, index) => {
    if (blocks.some((b) => index >= b.startLine && index < b.endLine)) return;
    for (const match of line.matchAll(CREATE_FILE)) {
      const path = pathFromLabel(match[1]);
      const block = blocks.find((b) => b.startLine > index && b.startLine <= index + 4);
      if (!path) continue;
      if (!block) {
        throw patchError(
          "PatchCorrupt",
          `"create file ${match[1]}" at line ${index + 1} is not followed by a fenced code block with the file's content`,
        );
      }
      edits.push({ kind: "create-file", path, content: block.content });
    }
  });
  return edits;
}

/** All edit instructions of one text, SEARCH/REPLACE first. */
export function parseEditInstructions(text: string): EditInstruction[] {
  return [
    ...parseSearchReplaceBlocks(text),
    ...parseInlineReplacements(text),
    ...parseCreateFileInstructions(text),
  ];
}

function countOccurrences(haystack: string, needle: string): number {
  if (needle === "") return 0;
  let count = 0;
  for (
    let at = haystack.indexOf(needle);
    at !== -1;
    at = haystack.indexOf(needle, at + needle.length)
  ) {
    count++;
  }
  return count;
}

function isCrlf(content: string): boolean {
  const newlines = content.split("\n").length - 1;
  return newlines > 0 && content.split("\r\n").length - 1 === newlines;
}

/** Replaces the one occurrence of `search`; tolerant only of CRLF files and trailing spaces. */
function searchReplace(path: string, content: string, search: string, replace: string): string {
  const crlf = isCrlf(content);
  const adapt = (text: string) => (crlf ? text.replace(/\r?\n/g, "\r\n") : text);
  for (const [find, put] of [
    [search, replace],
    [adapt(search), adapt(replace)],
  ]) {
    const count = countOccurrences(content, find);
    if (count === 1) return content.replace(find, () => put);
    if (count > 1) {
      throw patchError(
        "PatchDoesNotApply",
        `SEARCH text for ${path} occurs ${count} times; include more surrounding lines so it is unique`,
      );
    }
  }
  // Last resort: the same lines with trailing whitespace ignored (editors and models trim it).
  const fileLines = content.split("\n");
  const searchLines = search.replace(/\n$/, "").split("\n");
  const norm = (line: string) => line.replace(/[ \t\r]+$/, "");
  const hits: number[] = [];
  for (let i = 0; i + searchLines.length <= fileLines.length; i++) {
    if (searchLines.every((line, j) => norm(line) === norm(fileLines[i + j]))) hits.push(i);
  }
  if (hits.length === 1) {
    const replacement = replace === "" ? [] : replace.replace(/\n$/, "").split("\n");
    const before = fileLines.slice(0, hits[0]);
    const after = fileLines.slice(hits[0] + searchLines.length);
    // Lines are split on LF, so a CRLF file's lines keep their CR; new lines get one too.
    return [...before, ...replacement.map((l) => (crlf ? `${l}\r` : l)), ...after].join("\n");
  }
  throw patchError(
    "PatchDoesNotApply",
    hits.length > 1
      ? `SEARCH text for ${path} matches ${hits.length} places; include more surrounding lines so it is unique`
      : `SEARCH text for ${path} was not found in the file (it must match the current file exactly)`,
  );
}

/**
 * Applies the edits in order to the files read through `read` (each file read once, edits see the
 * results of earlier ones). All-or-nothing: the first failing edit throws, naming file and reason.
 */
export function applyEditInstructions(
  edits: EditInstruction[],
  read: (path: string) => TreeFile | null,
): Map<string, TreeFile | null> {
  const state = new Map<string, TreeFile | null>();
  const current = (path: string) => (state.has(path) ? state.get(path)! : read(path));
  for (const edit of edits) {
    const file = current(edit.path);
    if (edit.kind === "create-file") {
      if (file !== null) {
        throw patchError(
          "PatchDoesNotApply",
          `cannot create ${edit.path}: it already exists (use a SEARCH/REPLACE block to change it)`,
        );
      }
      state.set(edit.path, { content: edit.content, mode: "100644" });
      continue;
    }
    if (edit.kind === "search-replace" && edit.search === "") {
      // Empty SEARCH: the block is the whole content of a new (or empty) file.
      if (file !== null && file.content !== "") {
        throw patchError(
          "PatchDoesNotApply",
          `SEARCH block for ${edit.path} is empty but the file exists; quote the lines to replace`,
        );
      }
      state.set(edit.path, { content: edit.replace, mode: file?.mode ?? "100644" });
      continue;
    }
    if (file === null) {
      throw patchError(
        "PatchDoesNotApply",
        `${edit.path} does not exist in the repository (check the path; new files need "create file")`,
      );
    }
    if (file.mode === "120000" || file.mode === "160000") {
      throw patchError("PatchDoesNotApply", `${edit.path} is a symlink or submodule, not a file`);
    }
    let content: string;
    if (edit.kind === "search-replace") {
      content = searchReplace(edit.path, file.content, edit.search, edit.replace);
    } else {
      const count = countOccurrences(file.content, edit.find);
      if (count === 0) {
        throw patchError(
          "PatchDoesNotApply",
          `\`${edit.find}\` was not found in ${edit.path} (the text must match exactly, including case)`,
        );
      }
      content = file.content.split(edit.find).join(edit.replaceWith);
    }
    state.set(edit.path, { content, mode: file.mode });
  }
  return state;
}
