// What a repository snapshot keeps: text files people wrote. Skipped: binaries, vendored,
// generated and build folders, lock files, files over a size limit; reading stops at a total-bytes
// cap. The limits keep the interpreter (256 MB) and the patch generator (512 MB) inside their memory
// while one issue is localized.

export interface SnapshotLimits {
  /** Larger files are skipped (generated bundles, data dumps). */
  maxFileBytes: number;
  /** Reading stops once the kept files add up to this many bytes. */
  maxTotalBytes: number;
  /** Reading stops after this many kept files. */
  maxFiles: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxFileBytes: 256 * 1024,
  maxTotalBytes: 24 * 1024 * 1024,
  maxFiles: 12_000,
};

export type SkipReason = "binary" | "vendored-or-build" | "generated" | "lock-file" | "too-large";

const VENDORED_OR_BUILD =
  /(^|\/)(node_modules|bower_components|jspm_packages|vendor|third_party|third-party|dist|build|out|target|coverage|\.git|\.hg|\.svn|\.next|\.nuxt|\.cache|\.turbo|\.yarn|__pycache__|\.venv|venv|\.tox|\.mypy_cache|\.pytest_cache|Pods|DerivedData)\//;
const GENERATED =
  /\.(min\.js|min\.css|bundle\.js|map|pb\.go|snap)$|_pb2(_grpc)?\.pyi?$|\.generated\.[a-z]+$|(^|\/)generated\//i;
const LOCK_FILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|Pipfile\.lock|uv\.lock|Gemfile\.lock|composer\.lock|mix\.lock|flake\.lock)$/;
const BINARY_EXTENSION =
  /\.(png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|class|so|dylib|dll|exe|o|a|lib|wasm|node|pyc|pyo|whl|egg|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|flac|mov|avi|mkv|webm|sqlite3?|db|bin|dat|pkl|npy|npz|onnx|pt|h5|parquet)$/i;

/** Why a path is not indexed, judged by its name alone; null when it may be. */
export function skipReasonForPath(path: string): SkipReason | null {
  if (VENDORED_OR_BUILD.test(path)) return "vendored-or-build";
  if (LOCK_FILE.test(path)) return "lock-file";
  if (GENERATED.test(path)) return "generated";
  if (BINARY_EXTENSION.test(path)) return "binary";
  return null;
}

/** Text, or null for binary content (a NUL byte near the start, or bytes that are not UTF-8). */
export function decodeText(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
