// Comments whose text a strategy may use: only from people with write access (checked through the
// collaborator-permission API; author_association misreports private org members). Comments
// AFU-9 wrote itself (hidden marker) and bot comments are never instructions.
import type { Octokit } from "@octokit/rest";
import type { RepoRef } from "../github/git-trees";
import { canWrite, readPermission } from "../github/permissions";

// An array, not a Set: Pulumi serializes module-level values by value and a Set arrives as `{}`.
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
  const writes = (login: string) => {
    let known = permission.get(login);
    if (!known) {
      known = readPermission(octokit, ref, login).then(canWrite);
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
    if (await writes(login)) trusted.push(body);
  }
  return trusted;
}
