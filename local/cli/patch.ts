// `npx afu9 patch --repo DIR --issue FILE [--dry-run]`: the patch generator's strategies and
// ValidatePatch's rules, run against a local checkout through a file-system adapter. Prints the
// resulting unified diff on stdout (what the patch commit would contain), the strategy, per-file
// summary and validation on stderr. Without --dry-run a valid patch is written into DIR.
// Exit codes (conventions.ts, the same for every subcommand): 0 valid (written or dry run),
// 1 refused (does not apply / violations / not an issue), 2 usage, 3 no strategy applies.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createAiFromEnvironment } from "../../handlers/patch-generator/ai-setup";
import { isSafeRepoPath } from "../../handlers/patch-text/safe-path";
import type { TreeFile } from "../../handlers/patch-text/tree-file";
import {
  type FileChange,
  formatChangeSet,
  summarizeChange,
} from "../../handlers/patch-generator/change-set";
import type { StrategyInput } from "../../handlers/patch-text/detect-strategy";
import { isPatchError } from "../../handlers/patch-text/patch-errors";
import { generateChanges, type RepoReader } from "../../handlers/patch-generator/generate-changes";
import { formatPatchPlan } from "../../handlers/localization/patch-plan";
import { localize } from "../../handlers/localization/rank";
import { readSnapshotOf } from "../../handlers/patch-generator/ai/repo-snapshot";
import {
  type BaseTreeModes,
  validateChanges,
} from "../../handlers/patch-generator/validate-changes";
import {
  defaultRepoConfig,
  parseRepoConfig,
  REPO_CONFIG_PATH,
} from "../../handlers/shared/repo-config";
import { commandNamed } from "./commands";
import { type CliIo, EXIT, PROCESS_IO, openRepoIssueCommand } from "./conventions";

export type { CliIo } from "./conventions";

function parseArgs(argv: string[]): { repo: string; issue: string; dryRun: boolean } | string {
  let repo: string | undefined;
  let issue: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--repo") repo = argv[++i];
    else if (arg === "--issue") issue = argv[++i];
    else if (arg === "--dry-run") dryRun = true;
    else if (arg.startsWith("--repo=")) repo = arg.slice(7);
    else if (arg.startsWith("--issue=")) issue = arg.slice(8);
    else return `unknown argument "${arg}"`;
  }
  if (!repo || !issue) return "--repo and --issue are required";
  return { repo, issue, dryRun };
}

/** Git modes of a checkout's entries: symlinks 120000, submodule checkouts (a .git inside) 160000. */
export function checkoutModes(root: string): BaseTreeModes {
  return (path) => {
    if (!isSafeRepoPath(path)) return undefined;
    const full = join(root, path);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      return undefined;
    }
    if (stat.isSymbolicLink()) return "120000";
    if (stat.isDirectory()) return existsSync(join(full, ".git")) ? "160000" : undefined;
    return stat.mode & 0o111 ? "100755" : "100644";
  };
}

/** The first parent directory of `path` that is a symlink or submodule in the checkout. */
function linkedParent(modes: BaseTreeModes, path: string): string | undefined {
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    const parent = parts.slice(0, depth).join("/");
    const mode = modes(parent);
    if (mode === "120000" || mode === "160000") return parent;
  }
  return undefined;
}

/** Reads a checkout like the Git Data API reads a tree: modes from the file system, no .git. */
export function createFileSystemRepoReader(root: string): RepoReader {
  const modes = checkoutModes(root);
  let listing: string[] | undefined;
  const walk = (dir: string, prefix: string, out: string[]) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path, path, out);
      else out.push(path);
    }
  };
  return {
    async readFile(path) {
      // A tree has no entries below a symlink or submodule: never read through one.
      if (!isSafeRepoPath(path) || linkedParent(modes, path) !== undefined) return null;
      const full = join(root, path);
      let stat;
      try {
        stat = lstatSync(full);
      } catch {
        return null;
      }
      if (stat.isSymbolicLink()) return { content: readlinkSync(full), mode: "120000" };
      if (!stat.isFile()) return null;
      let content: string;
      try {
        content = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(full));
      } catch {
        throw Object.assign(new Error(`${path} is not UTF-8 text (binary?)`), {
          code: "PatchUnsupported",
        });
      }
      return { content, mode: stat.mode & 0o111 ? "100755" : "100644" } satisfies TreeFile;
    },
    async listFiles() {
      if (listing) return listing;
      try {
        // In a git checkout the index is the tree (ignored files are not part of the repository).
        listing = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
          .split("\0")
          .filter(Boolean);
      } catch {
        listing = [];
        walk("", "", listing);
      }
      return listing.sort();
    },
  };
}

function writeChanges(root: string, changes: FileChange[]): void {
  const modes = checkoutModes(root);
  for (const change of changes) {
    for (const path of [change.path, change.previousPath].filter((p) => p !== undefined)) {
      const parent = linkedParent(modes, path);
      // validateChanges refuses these; this keeps the writer from ever following a link.
      if (parent !== undefined || !isSafeRepoPath(path)) {
        throw new Error(`refusing to write ${path}: ${parent ?? path} is not a plain directory`);
      }
    }
  }
  for (const change of changes) {
    if (change.previousPath) rmSync(join(root, change.previousPath), { force: true });
    const full = join(root, change.path);
    if (change.newFile === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, change.newFile.content, "utf8");
    chmodSync(full, change.newFile.mode === "100755" ? 0o755 : 0o644);
  }
}

function readIssue(file: string): StrategyInput | { refused: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { refused: `${file} is not JSON: ${(error as Error).message}` };
  }
  const issue = raw as { title?: unknown; body?: unknown };
  if (typeof issue !== "object" || issue === null || typeof issue.title !== "string") {
    return { refused: `${file} is not a GitHub issue object (REST shape with "title" and "body")` };
  }
  return {
    title: issue.title,
    body: typeof issue.body === "string" ? issue.body : "",
    // Offline there is no way to check commenters' permissions: only the issue text is used.
    trustedComments: [],
  };
}

export async function runPatch(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const args = openRepoIssueCommand(commandNamed("patch"), argv, io, parseArgs);
  if ("exit" in args) return args.exit;
  const root = resolve(args.repo);
  const input = readIssue(args.issue);
  if ("refused" in input) {
    io.stderr(`afu9 patch: ${input.refused}\n`);
    return EXIT.refused;
  }
  const repo = createFileSystemRepoReader(root);
  const configText = (await repo.readFile(REPO_CONFIG_PATH))?.content ?? null;
  const parsed = parseRepoConfig(configText);
  if (parsed.status === "invalid") {
    io.stderr(`afu9 patch: ${REPO_CONFIG_PATH}: ${parsed.key}: ${parsed.message}\n`);
    return EXIT.refused;
  }
  const config = parsed.status === "ok" ? parsed.config : defaultRepoConfig();
  const apiKey = io.env.AFU9_AI_API_KEY;
  const ai = createAiFromEnvironment(
    io.env,
    { clock: { now: () => Date.now(), sleep: async () => {} } },
    apiKey ? async () => apiKey : undefined,
  );
  input.aiEnabled = Boolean(ai);

  let generated;
  try {
    generated = await generateChanges(input, repo, { ai: ai ? ai(undefined) : null });
  } catch (error) {
    if (isPatchError(error, "NoPatchStrategy")) {
      io.stderr(`afu9 patch: ${error.message}\n\n`);
      io.stdout(`${formatPatchPlan(localize(input, await readSnapshotOf(repo)))}\n`);
      return EXIT.noStrategy;
    }
    if (isPatchError(error)) {
      io.stderr(`afu9 patch: refused (${error.name}): ${error.message}\n`);
      return EXIT.refused;
    }
    throw error;
  }

  io.stdout(formatChangeSet(generated.changes));
  io.stderr(`strategy: ${generated.strategy}\n`);
  for (const summary of generated.changes.map(summarizeChange)) {
    const from = summary.previousPath ? ` (from ${summary.previousPath})` : "";
    io.stderr(
      `  ${summary.change} ${summary.path}${from} +${summary.additions} -${summary.deletions}\n`,
    );
  }
  if (generated.usage) io.stderr(`ai usage: ${JSON.stringify(generated.usage)}\n`);
  const violations = validateChanges(
    generated.changes,
    { protectedPaths: config.protectedPaths, limits: config.limits },
    checkoutModes(root),
  );
  if (violations.length > 0) {
    io.stderr(`validation: ${violations.length} violation(s), nothing written\n`);
    for (const v of violations) io.stderr(`  [${v.rule}] ${v.path ?? "-"}: ${v.message}\n`);
    return EXIT.refused;
  }
  io.stderr("validation: passed\n");
  if (args.dryRun) {
    io.stderr("dry run: nothing written\n");
    return 0;
  }
  writeChanges(root, generated.changes);
  io.stderr(`written to ${root}\n`);
  return 0;
}
