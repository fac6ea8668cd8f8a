// The repository as the localization engine reads it, for the AI strategy: the reader's own
// snapshot when it has one (the GitHub reader: one tarball request), else built file by file from
// the reader (a local checkout, an in-memory tree) within the same limits.
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from "../../localization/bounds";
import { createSnapshotBuilder, type RepoSnapshot } from "../../localization/snapshot";
import type { RepoReader } from "../generate-changes";

export async function readSnapshotOf(
  repo: RepoReader,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<RepoSnapshot> {
  if (repo.readSnapshot) return repo.readSnapshot(limits);
  const builder = createSnapshotBuilder(limits);
  for (const path of await repo.listFiles()) {
    if (builder.full) break;
    let file;
    try {
      file = await repo.readFile(path);
    } catch {
      builder.see(path);
      continue;
    }
    if (!file || !file.mode.startsWith("100")) {
      builder.see(path);
      continue;
    }
    const bytes = Buffer.from(file.content, "utf8");
    if (builder.wants(path, bytes.length)) builder.add(path, bytes);
  }
  return builder.finish();
}
