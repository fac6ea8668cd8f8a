// A synthetic repository of a given size for the localization engine's time and memory budget:
// source files in nested folders with realistic identifiers and lengths (about 4 KB each), built
// deterministically from a seed so every run measures the same repository.
import type { RepoSnapshot } from "../../handlers/localization/snapshot";

const WORDS =
  "user session token auth login logout cache store queue worker request response header body stream buffer parse format render route handler middleware config option value error retry timeout limit page item list map entry key index schema field record event emit listen socket client server file path read write open close".split(
    " ",
  );

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(next: () => number, items: T[]): T {
  return items[Math.floor(next() * items.length)];
}

function camel(next: () => number, parts: number): string {
  const words = Array.from({ length: parts }, () => pick(next, WORDS));
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

export function syntheticFiles(count: number, seed = 42): Array<{ path: string; content: string }> {
  const next = random(seed);
  const files: Array<{ path: string; content: string }> = [];
  for (let i = 0; i < count; i++) {
    const dir = `src/${pick(next, WORDS)}/${pick(next, WORDS)}`;
    const name = `${camel(next, 2)}-${i}.ts`;
    const lines: string[] = [`import { ${camel(next, 2)} } from "../${pick(next, WORDS)}";`, ""];
    while (lines.join("\n").length < 4000) {
      const fn = camel(next, 3);
      lines.push(
        `export function ${fn}(${camel(next, 1)}: ${camel(next, 2)}): ${camel(next, 1)} | null {`,
        `  // ${Array.from({ length: 8 }, () => pick(next, WORDS)).join(" ")}`,
        `  const ${camel(next, 2)} = ${camel(next, 2)}(${camel(next, 1)}, "${pick(next, WORDS)}");`,
        `  if (!${camel(next, 1)}) return null;`,
        `  return ${camel(next, 2)}.${camel(next, 2)}();`,
        "}",
        "",
      );
    }
    files.push({ path: `${dir}/${name}`, content: lines.join("\n") });
  }
  return files;
}

export function syntheticSnapshot(count: number, seed = 42): RepoSnapshot {
  const files = syntheticFiles(count, seed);
  return {
    files,
    paths: files.map((f) => f.path).sort(),
    skipped: {},
    keptBytes: files.reduce((sum, f) => sum + f.content.length, 0),
    truncated: false,
    notes: [],
  };
}
