// Must-show 1: our diff applier agrees with real `git apply` on diffs made by real `git diff` in
// the test: shifted context, CRLF files, missing trailing newlines, new/deleted/renamed files and
// mode changes apply to the same result, and diffs that do not apply are refused by both.
import { applyFilePatches } from "../../../handlers/patch-generator/apply-diff";
import type { TreeFile } from "../../../handlers/patch-text/tree-file";
import { formatChangeSet, toChangeSet } from "../../../handlers/patch-generator/change-set";
import { isPatchError } from "../../../handlers/patch-text/patch-errors";
import { parseUnifiedDiff } from "../../../handlers/patch-text/unified-diff";
import { type Files, gitApply, gitDiff } from "./git-fixture";

function applyOurs(
  target: Files,
  patch: string,
): { ok: true; files: Files } | { ok: false; reason: string } {
  const read = (path: string): TreeFile | null => target[path] ?? null;
  try {
    const applied = applyFilePatches(parseUnifiedDiff(patch), read);
    const files: Files = { ...target };
    for (const [path, file] of applied.files) {
      if (file === null) delete files[path];
      else files[path] = file;
    }
    return { ok: true, files };
  } catch (error) {
    if (!isPatchError(error)) throw error;
    return { ok: false, reason: error.message };
  }
}

function sorted(files: Files): Files {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

function expectParity(target: Files, patch: string): "applied" | "refused" {
  const theirs = gitApply(target, patch);
  const ours = applyOurs(target, patch);
  if (theirs.ok !== ours.ok) {
    throw new Error(
      `git apply ${theirs.ok ? "applied" : "refused"} but ours ${ours.ok ? "applied" : `refused (${(ours as { reason: string }).reason})`}\n` +
        `git: ${theirs.ok ? "" : theirs.stderr}\npatch:\n${patch}\ntarget:\n${JSON.stringify(target, null, 1)}`,
    );
  }
  if (theirs.ok && ours.ok) expect(sorted(ours.files)).toEqual(sorted(theirs.files));
  return theirs.ok ? "applied" : "refused";
}

const file = (content: string, mode = "100644"): TreeFile => ({ content, mode });
const lines = (n: number, tag = "line", eol = "\n") =>
  Array.from({ length: n }, (_, i) => `${tag} ${i + 1}${eol}`).join("");

describe("named cases against git apply", () => {
  const base: Files = {
    "src/app.ts": file(lines(30)),
    "README.md": file("# Title\n\nSome text\nmore text\n"),
    "win.txt": file(lines(12, "crlf", "\r\n")),
    "tail.txt": file("one\ntwo\nthree"),
    "bin/run.sh": file("#!/bin/sh\necho hi\n", "100755"),
  };

  const edit = (changes: Partial<Record<string, TreeFile | null>>): Files => {
    const next: Files = { ...base };
    for (const [path, value] of Object.entries(changes)) {
      if (value === null || value === undefined) delete next[path];
      else next[path] = value;
    }
    return next;
  };

  const modifiedApp = file(
    base["src/app.ts"].content
      .replace("line 5\n", "line five\n")
      .replace("line 25\n", "line 25\nadded\n"),
  );

  it.each([
    ["modify with two hunks", edit({ "src/app.ts": modifiedApp })],
    [
      "CRLF file kept CRLF",
      edit({
        "win.txt": file(base["win.txt"].content.replace("crlf 6\r\n", "crlf six\r\nnew\r\n")),
      }),
    ],
    ["add a trailing newline", edit({ "tail.txt": file("one\ntwo\nthree\n") })],
    ["remove a trailing newline", edit({ "README.md": file("# Title\n\nSome text\nmore text") })],
    ["change the last line without newline", edit({ "tail.txt": file("one\ntwo\nTHREE") })],
    ["new file", edit({ "docs/new.md": file("hello\nworld\n") })],
    ["new empty file", edit({ "empty.txt": file("") })],
    ["new executable file", edit({ "bin/new.sh": file("#!/bin/sh\n", "100755") })],
    ["deleted file", edit({ "README.md": null })],
    ["renamed file", edit({ "README.md": null, "docs/README.md": base["README.md"] })],
    [
      "renamed and edited",
      edit({
        "src/app.ts": null,
        "src/main.ts": file(base["src/app.ts"].content.replace("line 29\n", "line 29!\n")),
      }),
    ],
    ["mode change only", edit({ "bin/run.sh": file(base["bin/run.sh"].content, "100644") })],
    [
      "mode change and edit",
      edit({ "README.md": file("# Title!\n\nSome text\nmore text\n", "100755") }),
    ],
  ])("%s: same result as git apply on the base", (_name, changed) => {
    const patch = gitDiff(base, changed);
    expect(patch).not.toBe("");
    expect(expectParity(base, patch)).toBe("applied");
    expect(
      sorted(applyOurs(base, patch).ok ? (applyOurs(base, patch) as { files: Files }).files : {}),
    ).toEqual(sorted(changed));
  });

  it("shifted context: lines inserted above and between hunks", () => {
    const patch = gitDiff(base, edit({ "src/app.ts": modifiedApp }));
    const shifted = base["src/app.ts"].content
      .replace("line 1\n", "inserted a\ninserted b\ninserted c\nline 1\n")
      .replace("line 15\n", "line 15\nmid 1\nmid 2\n");
    expect(expectParity({ ...base, "src/app.ts": file(shifted) }, patch)).toBe("applied");
  });

  it("shifted context: lines removed between the hunks", () => {
    const patch = gitDiff(base, edit({ "src/app.ts": modifiedApp }));
    const shifted = base["src/app.ts"].content.replace("line 12\nline 13\n", "");
    expect(expectParity({ ...base, "src/app.ts": file(shifted) }, patch)).toBe("applied");
  });

  it.each([
    [
      "context line changed",
      { "src/app.ts": file(base["src/app.ts"].content.replace("line 4\n", "LINE 4\n")) },
    ],
    ["file missing", { "src/app.ts": null }],
    [
      "CRLF target for an LF diff",
      { "src/app.ts": file(base["src/app.ts"].content.replace(/\n/g, "\r\n")) },
    ],
    ["trailing newline added in target", {}],
  ])("non-applying diff (%s): both refuse", (name, targetChanges) => {
    const changedTail = name === "trailing newline added in target";
    const patch = changedTail
      ? gitDiff(base, edit({ "tail.txt": file("one\ntwo\nTHREE") }))
      : gitDiff(base, edit({ "src/app.ts": modifiedApp }));
    const target: Files = { ...base };
    for (const [path, value] of Object.entries(targetChanges)) {
      if (value === null) delete target[path];
      else target[path] = value;
    }
    if (changedTail) target["tail.txt"] = file("one\ntwo\nthree\n");
    expect(expectParity(target, patch)).toBe("refused");
  });

  it("the target's own mode survives a diff whose index line names another mode", () => {
    const patch = gitDiff(base, edit({ "README.md": file("# Title\n\nOther text\nmore text\n") }));
    expect(patch).toContain("100644");
    const target = { ...base, "README.md": file(base["README.md"].content, "100755") };
    expect(expectParity(target, patch)).toBe("applied");
  });

  it("both refuse a new file that already exists and a deletion of a changed file", () => {
    const creates = gitDiff(base, edit({ "docs/new.md": file("x\n") }));
    expect(expectParity({ ...base, "docs/new.md": file("x\n") }, creates)).toBe("refused");
    const deletes = gitDiff(base, edit({ "README.md": null }));
    expect(
      expectParity(
        { ...base, "README.md": file("# Title\n\nSome text\nmore text\nextra\n") },
        deletes,
      ),
    ).toBe("refused");
  });

  it("refuses without half-applying: a good file patch followed by a bad one changes nothing", () => {
    const patch = gitDiff(
      base,
      edit({ "README.md": file("# New\n\nSome text\nmore text\n"), "src/app.ts": modifiedApp }),
    );
    const target = {
      ...base,
      "src/app.ts": file(base["src/app.ts"].content.replace("line 6\n", "LINE 6\n")),
    };
    expect(expectParity(target, patch)).toBe("refused");
    const reason = (applyOurs(target, patch) as { reason: string }).reason;
    expect(reason).toMatch(/hunk #1 .* of src\/app\.ts does not apply/);
  });
});

// Deterministic pseudo-random cases (mulberry32), so a failure reproduces from its seed.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateCase(seed: number): { base: Files; changed: Files; target: Files } {
  const rnd = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: T[]) => items[int(0, items.length - 1)];
  let unique = 0;
  // Repeated lines make several candidate positions, which exercises git's search order.
  const line = () =>
    rnd() < 0.3 ? pick(["", "}", "{", "  return;", "end"]) : `text ${seed}-${unique++}`;
  const makeContent = (eol: string) => {
    const body = Array.from({ length: int(1, 40) }, () => line() + eol).join("");
    return rnd() < 0.2 ? body.slice(0, -eol.length) : body;
  };
  const base: Files = {};
  for (let i = 0, n = int(1, 4); i < n; i++) {
    base[`dir${int(0, 1)}/f${i}.txt`] = file(
      makeContent(rnd() < 0.25 ? "\r\n" : "\n"),
      rnd() < 0.15 ? "100755" : "100644",
    );
  }
  const eolOf = (content: string) => (content.includes("\r\n") ? "\r\n" : "\n");
  const mutate = (content: string, edits: number) => {
    const eol = eolOf(content);
    const parts = content.split(eol);
    for (let e = 0; e < edits; e++) {
      const at = int(0, Math.max(0, parts.length - 1));
      const kind = int(0, 2);
      if (kind === 0 && parts.length > 1) parts.splice(at, 1);
      else if (kind === 1) parts.splice(at, 0, ...Array.from({ length: int(1, 3) }, line));
      else parts[at] = `changed ${seed}-${unique++}`;
    }
    let next = parts.join(eol);
    if (rnd() < 0.1) next = next.endsWith(eol) ? next.slice(0, -eol.length) : next + eol;
    return next;
  };
  const changed: Files = { ...base };
  for (const [path, f] of Object.entries(base)) {
    const action = rnd();
    if (action < 0.6) changed[path] = file(mutate(f.content, int(1, 4)), f.mode);
    else if (action < 0.7) delete changed[path];
    else if (action < 0.8) {
      delete changed[path];
      changed[`moved/${path}`] = file(rnd() < 0.5 ? f.content : mutate(f.content, 1), f.mode);
    } else if (action < 0.9)
      changed[path] = file(f.content, f.mode === "100755" ? "100644" : "100755");
  }
  if (rnd() < 0.3) changed[`new/${seed}.txt`] = file(makeContent("\n"));
  // The target the diff is applied to: the base, often with lines shifted, sometimes conflicting.
  const target: Files = { ...base };
  for (const [path, f] of Object.entries(base)) {
    const eol = eolOf(f.content);
    const roll = rnd();
    if (roll < 0.45) {
      const parts = f.content.split(eol);
      parts.splice(
        int(0, parts.length - 1),
        0,
        ...Array.from({ length: int(1, 5) }, () => `shift ${unique++}`),
      );
      target[path] = file(parts.join(eol), f.mode);
    } else if (roll < 0.6) {
      target[path] = file(mutate(f.content, 1), f.mode);
    }
  }
  return { base, changed, target };
}

describe("generated cases against git apply", () => {
  // AFU9_PARITY_CASES raises the count for a longer soak run (default 120).
  const cases = Number(process.env.AFU9_PARITY_CASES ?? 120);
  it(
    `agrees with git apply on ${cases} generated diffs, applied and refused alike`,
    () => {
      const outcomes = { applied: 0, refused: 0, skipped: 0 };
      for (let seed = 1; seed <= cases; seed++) {
        const { base, changed, target } = generateCase(seed);
        const patch = gitDiff(base, changed);
        if (patch === "") {
          outcomes.skipped++;
          continue;
        }
        try {
          outcomes[expectParity(target, patch)]++;
        } catch (error) {
          throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error });
        }
      }
      // Both kinds of outcome must actually occur, or the comparison proves little.
      expect(outcomes.applied).toBeGreaterThan(40);
      expect(outcomes.refused).toBeGreaterThan(15);
      if (process.env.AFU9_PARITY_REPORT)
        process.stdout.write(`parity outcomes: ${JSON.stringify(outcomes)}\n`);
      // Hundreds of git processes: generous on a loaded machine.
    },
    Math.max(240_000, cases * 2_000),
  );

  it("our own printed diff is accepted by git apply with the same result", () => {
    for (let seed = 200; seed <= 240; seed++) {
      const { base, changed } = generateCase(seed);
      const patch = gitDiff(base, changed);
      if (patch === "") continue;
      const read = (path: string) => base[path] ?? null;
      const changes = toChangeSet(applyFilePatches(parseUnifiedDiff(patch), read), read);
      const ours = formatChangeSet(changes);
      const theirs = gitApply(base, ours);
      if (!theirs.ok)
        throw new Error(`seed ${seed}: git refused our diff: ${theirs.stderr}\n${ours}`);
      expect(sorted(theirs.files)).toEqual(sorted(changed));
    }
  }, 240_000);
});
