// Line diff (Myers' O(ND) algorithm) used to count added/removed lines per file, to find the
// added lines the secret scan looks at, and to print a change set as a git-style unified diff.
// Lines keep their terminators, so "x" and "x\n" differ exactly as they do for git.

export interface DiffOp {
  kind: " " | "-" | "+";
  text: string;
}

export function splitLines(content: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < content.length) {
    const end = content.indexOf("\n", start);
    const stop = end === -1 ? content.length : end + 1;
    lines.push(content.slice(start, stop));
    start = stop;
  }
  return lines;
}

// Beyond this many differences the exact script costs too much memory (O(D^2)); a plain
// "remove all, add all" script is still a correct diff, just not a minimal one.
const MAX_EDIT_DISTANCE = 2000;

function myers(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] as it was before round d.
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) {
    return [
      ...a.map((text) => ({ kind: "-" as const, text })),
      ...b.map((text) => ({ kind: "+" as const, text })),
    ];
  }
  // Walk the trace backwards to recover the edit script.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d];
    const at = (k: number) => vd[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", text: a[--x] });
      y--;
    }
    if (x === prevX) ops.push({ kind: "+", text: b[--y] });
    else ops.push({ kind: "-", text: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", text: a[--x] });
    y--;
  }
  return ops.reverse();
}

/** Edit script turning `a` into `b` (common prefix/suffix trimmed first, which keeps it fast). */
export function diffLines(a: string[], b: string[]): DiffOp[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const middle = myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  return [
    ...a.slice(0, prefix).map((text) => ({ kind: " " as const, text })),
    ...middle,
    ...a.slice(a.length - suffix).map((text) => ({ kind: " " as const, text })),
  ];
}

export function countChanges(
  oldContent: string,
  newContent: string,
): {
  additions: number;
  deletions: number;
} {
  let additions = 0;
  let deletions = 0;
  for (const op of diffLines(splitLines(oldContent), splitLines(newContent))) {
    if (op.kind === "+") additions++;
    else if (op.kind === "-") deletions++;
  }
  return { additions, deletions };
}

/** Lines the edit added, with their 1-based line numbers in `newContent` (for the secret scan). */
export function addedLines(
  oldContent: string,
  newContent: string,
): Array<{ line: number; text: string }> {
  const added: Array<{ line: number; text: string }> = [];
  let line = 0;
  for (const op of diffLines(splitLines(oldContent), splitLines(newContent))) {
    if (op.kind !== "-") line++;
    if (op.kind === "+") added.push({ line, text: op.text.replace(/\r?\n$/, "") });
  }
  return added;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** The "@@ ... @@" hunks of a git-style diff with `context` lines of context. */
export function formatHunks(oldContent: string, newContent: string, context = 3): string {
  const ops = diffLines(splitLines(oldContent), splitLines(newContent));
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((i) => i >= 0);
  if (changed.length === 0) return "";
  // Group changes whose gap of unchanged lines is small enough to share context.
  const groups: Array<[number, number]> = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last[1] - 1 <= 2 * context) last[1] = index;
    else groups.push([index, index]);
  }
  let out = "";
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    let oldLine = 1;
    let newLine = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i].kind !== "+") oldLine++;
      if (ops[i].kind !== "-") newLine++;
    }
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    out += `@@ -${range(oldCount === 0 ? oldLine - 1 : oldLine, oldCount)} +${range(
      newCount === 0 ? newLine - 1 : newLine,
      newCount,
    )} @@\n`;
    for (const op of slice) {
      out += op.kind + op.text;
      if (!op.text.endsWith("\n")) out += "\n\\ No newline at end of file\n";
    }
  }
  return out;
}
