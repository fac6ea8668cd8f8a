// Comments whose text a strategy may use: only from people with write access (checked through the
// collaborator-permission API; author_association misreports private org members). Comments
// AFU-9 wrote itself (hidden marker) and bot comments are never instructions.
import type { Octokit } from "@octokit/rest";
import type { RepoRef } from "../github/git-trees";

// An array, not a Set: Pulumi serializes module-level values by value and a Set arrives as `{}`.
const WRITE_PERMISSIONS = ["admin", "maintain", "write"];

/** Only comments that could carry a diff or an edit instruction are worth a permission lookup. */
function mayCarryPatch(body: string): boolean {
  return /```|~~~|<<<<<<<|`[^`]+`/.test(body);
}

export async function loadTrustedComments(
  octokit: Octokit,
  ref: RepoRef,
  issueNumber: number,
): Promise<string[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...ref,
    issue_number: issueNumber,
    per_page: 100,
  });
  const permission = new Map<string, Promise<boolean>>();
  const canWrite = (login: string) => {
    let known = permission.get(login);
    if (!known) {
      known = octokit.rest.repos
        .getCollaboratorPermissionLevel({ ...ref, username: login })
        .then(
          ({ data }) =>
            WRITE_PERMISSIONS.includes(data.permission) ||
            WRITE_PERMISSIONS.includes((data as { role_name?: string }).role_name ?? ""),
        )
        .catch((error: { status?: number }) => {
          if (error.status === 404) return false;
          throw error;
        });
      permission.set(login, known);
    }
    return known;
  };
  const trusted: string[] = [];
  for (const comment of comments) {
    const body = comment.body ?? "";
    const login = comment.user?.login;
    if (!login || comment.user?.type === "Bot" || body.includes("<!-- afu9:")) continue;
    if (!mayCarryPatch(body)) continue;
    if (await canWrite(login)) trusted.push(body);
  }
  return trusted;
}
