// An in-memory RepoReader for strategy tests.
import type { TreeFile } from "../../../handlers/patch-text/tree-file";
import type { RepoReader } from "../../../handlers/patch-generator/generate-changes";

export function memoryRepo(
  files: Record<string, string | TreeFile>,
): RepoReader & { reads: string[] } {
  const reads: string[] = [];
  const tree = new Map<string, TreeFile>(
    Object.entries(files).map(([path, value]) => [
      path,
      typeof value === "string" ? { content: value, mode: "100644" } : value,
    ]),
  );
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      return tree.get(path) ?? null;
    },
    async listFiles() {
      return [...tree.keys()].sort();
    },
  };
}
