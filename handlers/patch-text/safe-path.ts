// Whether a repository path stays inside the repository's tree: no absolute paths, no '..' or '.'
// segments, nothing in .git, no backslashes or NUL.

export function isSafeRepoPath(path: string): boolean {
  if (path.length === 0 || path.startsWith("/") || path.includes("\0") || path.includes("\\")) {
    return false;
  }
  return path
    .split("/")
    .every((part) => part !== "" && part !== "." && part !== ".." && part.toLowerCase() !== ".git");
}
