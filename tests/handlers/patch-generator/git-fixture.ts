// Temp git repositories for comparing our diff applier with real `git apply`. The user's and the
// system's git config are ignored so the outcome depends only on the files made in the test.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TreeFile } from "../../../handlers/patch-text/tree-file";

export type Files = Record<string, TreeFile>;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

export function git(dir: string, args: string[], input?: string): string {
  return execFileSync("git", args, {
    cwd: dir,
    env: GIT_ENV,
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs git and reports success or failure instead of throwing. */
export function tryGit(
  dir: string,
  args: string[],
  input?: string,
): { ok: boolean; stderr: string } {
  try {
    git(dir, args, input);
    return { ok: true, stderr: "" };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `afu9-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Files): void {
  for (const [path, file] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.content, "utf8");
    chmodSync(full, file.mode === "100755" ? 0o755 : 0o644);
  }
}

/** Every file under `dir` except .git, with its git mode. */
export function readFiles(dir: string, prefix = ""): Files {
  const files: Files = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === ".git") continue;
    if (entry.isDirectory()) Object.assign(files, readFiles(dir, path));
    else {
      const mode = statSync(join(dir, path)).mode & 0o111 ? "100755" : "100644";
      files[path] = { content: readFileSync(join(dir, path), "utf8"), mode };
    }
  }
  return files;
}

/** A repository whose one commit holds `files`. */
export function initRepo(files: Files): string {
  const dir = tempDir("repo");
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "core.autocrlf", "false"]);
  git(dir, ["config", "core.filemode", "true"]);
  writeFiles(dir, files);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", "base"]);
  return dir;
}

/** `git diff` (renames detected) from `base` to `changed`, as a user would paste it. */
export function gitDiff(base: Files, changed: Files): string {
  const dir = initRepo(base);
  try {
    for (const path of Object.keys(base)) rmSync(join(dir, path));
    writeFiles(dir, changed);
    git(dir, ["add", "-A"]);
    return git(dir, ["diff", "--cached", "-M", "--no-color", "--no-ext-diff", "HEAD"]);
  } finally {
    removeDir(dir);
  }
}

/** Result of real `git apply` of `patch` on a working tree holding `target`, or its refusal. */
export function gitApply(
  target: Files,
  patch: string,
): { ok: true; files: Files } | { ok: false; stderr: string } {
  const dir = initRepo(target);
  try {
    writeFileSync(join(dir, ".git", "afu9.patch"), patch, "utf8");
    const result = tryGit(dir, ["apply", ".git/afu9.patch"]);
    return result.ok ? { ok: true, files: readFiles(dir) } : { ok: false, stderr: result.stderr };
  } finally {
    removeDir(dir);
  }
}
