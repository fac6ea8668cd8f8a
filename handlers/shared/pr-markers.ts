// Hidden markers in the factory PR's body. The patch-commit marker records the commit AFU-9 last
// put on the branch: a branch head equal to it means nobody else pushed, so AFU-9 may move the
// branch (a new patch) or add a commit on top of it (a repair or a revision).

export function patchCommitMarker(sha: string): string {
  return `<!-- afu9:patch-commit ${sha} -->`;
}

const PATCH_COMMIT_MARKER = /<!-- afu9:patch-commit ([0-9a-f]{40}) -->/;

export function readPatchCommitMarker(body: string | null | undefined): string | null {
  const match = PATCH_COMMIT_MARKER.exec(body ?? "");
  return match ? match[1] : null;
}

/** The body with its patch-commit marker pointing at `sha` (added first when it has none). */
export function withPatchCommitMarker(body: string | null | undefined, sha: string): string {
  const text = body ?? "";
  return PATCH_COMMIT_MARKER.test(text)
    ? text.replace(PATCH_COMMIT_MARKER, patchCommitMarker(sha))
    : `${patchCommitMarker(sha)}\n${text}`;
}
