// A person's permission on a repository, as GET .../collaborators/{username}/permission answers it.
import type { Permission, RepoState } from "./store";

/** Explicit grant, else the owner is admin, others read (public) or none (private). */
export function permissionOf(repo: RepoState, login: string): Permission {
  const explicit = repo.permissions.get(login.toLowerCase());
  if (explicit) return explicit;
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
  return repo.private ? "none" : "read";
}

export function canWrite(permission: Permission): boolean {
  return permission === "admin" || permission === "maintain" || permission === "write";
}
