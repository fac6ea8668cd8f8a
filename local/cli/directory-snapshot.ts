// A local checkout as the localization engine reads it: the files git tracks (or, outside a git
// checkout, every file below the folder), each size-checked before it is read, within the same
// limits as the tarball reader.
import { execFileSync } from "node:child_process";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from "../../handlers/localization/bounds";
import { createSnapshotBuilder, type RepoSnapshot } from "../../handlers/localization/snapshot";

function listFiles(root: string): string[] {
  try {
    return execFileSync("git", ["ls-files", "-z"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 256 * 1024 * 1024,
    })
      .split("\0")
      .filter(Boolean)
      .sort();
  } catch {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        if (entry.name === ".git") continue;
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path);
        else out.push(path);
      }
    };
    walk("");
    return out.sort();
  }
}

export function readDirectorySnapshot(
  root: string,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): RepoSnapshot {
  const builder = createSnapshotBuilder(limits);
  for (const path of listFiles(root)) {
    if (builder.full) break;
    let stat;
    try {
      stat = lstatSync(join(root, path));
    } catch {
      continue;
    }
    if (!stat.isFile()) {
      builder.see(path);
      continue;
    }
    if (builder.wants(path, stat.size)) builder.add(path, readFileSync(join(root, path)));
  }
  return builder.finish();
}
