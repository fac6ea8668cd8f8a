// A repository as the localization engine reads it: the kept text files, every path seen (for the
// tree map and for paths an issue names), what was skipped and why, and whether a cap cut the
// reading short. Built by the tarball reader (GitHub) and by the CLI (a local checkout).
import { decodeText, type SkipReason, skipReasonForPath, type SnapshotLimits } from "./bounds";

export interface SnapshotFile {
  path: string;
  content: string;
}

export interface RepoSnapshot {
  files: SnapshotFile[];
  /** Every file path seen, kept or skipped, sorted. */
  paths: string[];
  skipped: Partial<Record<SkipReason, number>>;
  keptBytes: number;
  /** A cap (total bytes or file count) stopped the reading: later files were not seen. */
  truncated: boolean;
  /** Human-readable notes on what was left out, for the patch plan and the CLI. */
  notes: string[];
}

export interface SnapshotBuilder {
  /** Whether the file's bytes are wanted (call before reading them); counts the skip if not. */
  wants(path: string, size: number): boolean;
  /** Adds a file's bytes; false once a cap is reached (the caller stops reading). */
  add(path: string, bytes: Uint8Array): boolean;
  /** Records a path that is not a regular file's content (symlink, submodule). */
  see(path: string): void;
  readonly full: boolean;
  finish(): RepoSnapshot;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

export function createSnapshotBuilder(limits: SnapshotLimits): SnapshotBuilder {
  const files: SnapshotFile[] = [];
  const paths: string[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  let keptBytes = 0;
  let capHit: string | null = null;
  const skip = (reason: SkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    return false;
  };
  return {
    get full() {
      return capHit !== null;
    },
    see(path) {
      paths.push(path);
    },
    wants(path, size) {
      if (capHit) return false;
      paths.push(path);
      const reason = skipReasonForPath(path);
      if (reason) return skip(reason);
      if (size > limits.maxFileBytes) return skip("too-large");
      return true;
    },
    add(path, bytes) {
      if (capHit) return false;
      const content = decodeText(bytes);
      if (content === null) return !skip("binary");
      if (keptBytes + bytes.length > limits.maxTotalBytes) {
        capHit = `the repository is larger than the ${formatBytes(limits.maxTotalBytes)} read limit`;
        return false;
      }
      files.push({ path, content });
      keptBytes += bytes.length;
      if (files.length >= limits.maxFiles) {
        capHit = `the repository has more than ${limits.maxFiles} text files`;
        return false;
      }
      return true;
    },
    finish() {
      const notes: string[] = [];
      if (capHit) {
        notes.push(
          `Only part of the repository was read: ${capHit}, so ${files.length} files ` +
            `(${formatBytes(keptBytes)}) were ranked and files after them were not seen.`,
        );
      }
      const skippedTotal = Object.values(skipped).reduce((sum, n) => sum + (n ?? 0), 0);
      if (skippedTotal > 0) {
        const parts = Object.entries(skipped).map(([reason, n]) => `${n} ${reason}`);
        notes.push(`Not ranked: ${parts.join(", ")}.`);
      }
      return {
        files,
        paths: [...new Set(paths)].sort(),
        skipped,
        keptBytes,
        truncated: capHit !== null,
        notes,
      };
    },
  };
}
