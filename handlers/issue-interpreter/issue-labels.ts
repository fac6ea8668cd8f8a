// "Priorität setzen": `type:<t>` and `priority:<p>` labels on the issue. Idempotent: labels that
// are already right cause no request; a label missing from the repository is created first; the
// previous AFU-9 type/priority label is removed when the decision changed.
import type { Octokit } from "@octokit/rest";
import type { IssueType, Priority } from "../../contract/state";
import { ISSUE_TYPES } from "../shared/repo-config";
import { httpStatus } from "../github/errors";

const TYPE_COLORS: Record<IssueType, string> = {
  bug: "d73a4a",
  feature: "a2eeef",
  docs: "0075ca",
  chore: "cfd3d7",
  question: "d876e3",
  security: "b60205",
};
const PRIORITY_COLORS: Record<Priority, string> = {
  P0: "b60205",
  P1: "d93f0b",
  P2: "fbca04",
  P3: "c2e0c6",
};
const PRIORITY_VALUES: Priority[] = ["P0", "P1", "P2", "P3"];

/** Every label name AFU-9 manages, lower case. */
function managedLabels(): string[] {
  return [
    ...ISSUE_TYPES.map((t) => `type:${t}`),
    ...PRIORITY_VALUES.map((p) => `priority:${p}`),
  ].map((l) => l.toLowerCase());
}

async function ensureLabel(
  octokit: Octokit,
  target: { owner: string; repo: string },
  name: string,
  color: string,
  description: string,
): Promise<void> {
  try {
    await octokit.rest.issues.getLabel({ ...target, name });
    return;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  try {
    await octokit.rest.issues.createLabel({ ...target, name, color, description });
  } catch (error) {
    // 422 "already_exists": a concurrent run created it between our read and write.
    if (httpStatus(error) !== 422) throw error;
  }
}

export interface LabelChanges {
  added: string[];
  removed: string[];
}

export async function applyAnalysisLabels(
  octokit: Octokit,
  target: { owner: string; repo: string; issueNumber: number },
  current: string[],
  decision: { type: IssueType; priority: Priority },
): Promise<LabelChanges> {
  const { owner, repo, issueNumber } = target;
  const wanted = [`type:${decision.type}`, `priority:${decision.priority}`];
  const has = (name: string) => current.some((l) => l.toLowerCase() === name.toLowerCase());
  const added = wanted.filter((name) => !has(name));
  const managed = managedLabels();
  const removed = current.filter(
    (l) =>
      managed.includes(l.toLowerCase()) && !wanted.some((w) => w.toLowerCase() === l.toLowerCase()),
  );
  for (const name of added) {
    const [kind, value] = name.split(":");
    await ensureLabel(
      octokit,
      { owner, repo },
      name,
      kind === "type" ? TYPE_COLORS[value as IssueType] : PRIORITY_COLORS[value as Priority],
      kind === "type" ? `AFU-9: issue type ${value}` : `AFU-9: priority ${value}`,
    );
  }
  if (added.length > 0) {
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels: added });
  }
  for (const name of removed) {
    try {
      await octokit.rest.issues.removeLabel({ owner, repo, issue_number: issueNumber, name });
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }
  return { added, removed };
}
