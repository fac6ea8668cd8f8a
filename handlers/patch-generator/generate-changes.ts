// The strategies, run against any repository reader: the GitHub tree (Lambda) or a local checkout
// (`afu9 patch`). Tries them in order and returns the change set of the first that applies, or
// throws the reason it could not (a diff that does not apply is an error, not a fall-through: the
// author gave an exact change and deserves to hear why it failed).
import type { PatchPlan, PatchResult } from "../../contract/state";
import type { SnapshotLimits } from "../localization/bounds";
import type { RepoSnapshot } from "../localization/snapshot";
import { applyFilePatches, type ReadTreeFile } from "./apply-diff";
import type { TreeFile } from "../patch-text/tree-file";
import { type FileChange, toChangeSet } from "./change-set";
import { applyEditInstructions, type EditInstruction } from "../patch-text/edit-instructions";
import { patchError } from "../patch-text/patch-errors";
import { findDiffSource, findEditSource, type StrategyInput } from "../patch-text/detect-strategy";

/** Read access to the base tree the patch applies to. */
export interface RepoReader {
  /** The file at `path`, or null when the path does not exist (or is a directory). */
  readFile(path: string): Promise<TreeFile | null>;
  /** Every file path of the tree (blobs, symlinks, submodules). */
  listFiles(): Promise<string[]>;
  /** The whole tree's text files at once, when the reader can do better than file by file. */
  readSnapshot?(limits: SnapshotLimits): Promise<RepoSnapshot>;
}

export type Usage = NonNullable<PatchResult["usage"]>;

/** The AI strategy (ai-strategy.ts): the change set for the issue, with what it cost. */
export type AiChangeSource = (
  input: StrategyInput,
  repo: RepoReader,
) => Promise<{ changes: FileChange[]; usage: Usage }>;

export interface GeneratedChanges {
  strategy: PatchPlan["strategy"];
  changes: FileChange[];
  usage?: Usage;
}

async function preload(repo: RepoReader, paths: Iterable<string>): Promise<ReadTreeFile> {
  const files = new Map<string, TreeFile | null>();
  for (const path of new Set(paths)) files.set(path, await repo.readFile(path));
  return (path) => {
    if (!files.has(path)) throw new Error(`internal: ${path} was not preloaded`);
    return files.get(path)!;
  };
}

/** Applies edit instructions to the files they name (read from `repo`): the change set. */
export async function applyEditsToRepo(
  edits: EditInstruction[],
  repo: RepoReader,
): Promise<FileChange[]> {
  const read = await preload(
    repo,
    edits.map((edit) => edit.path),
  );
  return toChangeSet({ files: applyEditInstructions(edits, read), renames: [] }, read);
}

export async function generateChanges(
  input: StrategyInput,
  repo: RepoReader,
  options: { ai?: AiChangeSource | null } = {},
): Promise<GeneratedChanges> {
  const diff = findDiffSource(input);
  if (diff) {
    if (!diff.patches) {
      throw patchError("PatchCorrupt", `the diff in the issue cannot be read: ${diff.error}`);
    }
    const paths = diff.patches.flatMap((p) => [p.oldPath, p.newPath]).filter((p) => p !== null);
    const read = await preload(repo, paths as string[]);
    const applied = applyFilePatches(diff.patches, read, { adaptLineEndings: true });
    return { strategy: "unified-diff", changes: toChangeSet(applied, read) };
  }
  const edits = findEditSource(input);
  if (edits) {
    if (edits.error) {
      throw patchError("PatchCorrupt", `the edit instructions cannot be read: ${edits.error}`);
    }
    return { strategy: "edit-instructions", changes: await applyEditsToRepo(edits.edits, repo) };
  }
  if (options.ai) {
    const answer = await options.ai(input, repo);
    return { strategy: "ai", changes: answer.changes, usage: answer.usage };
  }
  throw patchError(
    "NoPatchStrategy",
    "no patch strategy applies: the issue has no ```diff block and no edit instructions, and AI " +
      "generation is off for this stack",
  );
}
