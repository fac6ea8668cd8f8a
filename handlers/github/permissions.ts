// A person's repository permission, read through the collaborator-permission API (never the
// payload's author_association): the one question behind every trust rule, command and review.
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "./errors";

export type PermissionLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** The levels that may change the repository: what AFU-9 trusts, obeys and counts as a review. */
export const WRITE_LEVELS: readonly PermissionLevel[] = ["admin", "maintain", "write"];

export function canWrite(level: PermissionLevel): boolean {
  return WRITE_LEVELS.includes(level);
}

/** Repository permission of one login; a 404 (not a collaborator, no such user) is "none". */
export async function readPermission(
  octokit: Octokit,
  ref: { owner: string; repo: string },
  login: string,
): Promise<PermissionLevel> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...ref,
      username: login,
    });
    // `permission` folds custom and maintain roles into admin/write/read/none; `role_name`
    // distinguishes maintain and triage.
    const role = (data as { role_name?: string }).role_name;
    if (role === "maintain" || role === "triage") return role;
    const permission = data.permission;
    return permission === "admin" || permission === "write" || permission === "read"
      ? permission
      : "none";
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}
