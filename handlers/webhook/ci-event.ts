import { isObject, type Json } from "./payload-fields";
// CI events: check_suite / check_run / workflow_run `completed` and `status` (not pending) only
// wake a run that waits for CI on that head. Cheap filters first, from the payload alone: the
// event is final, it comes through an installation of the App, and one of the heads it names is a
// factory branch (`afu9/`). What CI concluded is not read here: the woken run asks GitHub.
export const CI_EVENTS = ["check_suite", "check_run", "status", "workflow_run"] as const;
export type CiEventName = (typeof CI_EVENTS)[number];

/** Branches the factory pushes (afu9/issue-<n>). */
export const FACTORY_BRANCH_PREFIX = "afu9/";

export type CiEventDecision =
  | { kind: "ci"; event: CiEventName; repositoryId: number; headSha: string; branch: string }
  | { kind: "ci-ignored"; event: CiEventName; reason: string };

function pullRequestHeads(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((pr) => (isObject(pr) && isObject(pr.head) ? pr.head.ref : undefined))
    .filter((ref): ref is string => typeof ref === "string");
}

/** head SHA and the branch names a CI payload carries, or the reason it is not final. */
function headOf(
  event: CiEventName,
  payload: Json,
): { sha: unknown; branches: string[] } | { notFinal: string } {
  const action = payload.action;
  switch (event) {
    case "check_suite":
    case "check_run":
    case "workflow_run": {
      if (action !== "completed") return { notFinal: `${event}.${String(action)} is not final` };
      const subject = isObject(payload[event]) ? (payload[event] as Json) : {};
      const suite = isObject(subject.check_suite) ? subject.check_suite : {};
      const branches = [subject.head_branch, suite.head_branch].filter(
        (b): b is string => typeof b === "string",
      );
      return {
        sha: subject.head_sha,
        branches: [...branches, ...pullRequestHeads(subject.pull_requests)],
      };
    }
    case "status": {
      if (payload.state === "pending") return { notFinal: "status pending is not final" };
      const branches = Array.isArray(payload.branches)
        ? payload.branches
            .map((b) => (isObject(b) ? b.name : undefined))
            .filter((b): b is string => typeof b === "string")
        : [];
      return { sha: payload.sha, branches };
    }
  }
}

export function isCiEvent(event: string): event is CiEventName {
  return (CI_EVENTS as readonly string[]).includes(event);
}

/** Decides whether a verified CI delivery may wake a waiting run. Pure. */
export function routeCiEvent(event: CiEventName, payload: unknown): CiEventDecision {
  const ignored = (reason: string): CiEventDecision => ({ kind: "ci-ignored", event, reason });
  if (!isObject(payload)) return ignored("payload is not a JSON object");
  const head = headOf(event, payload);
  if ("notFinal" in head) return ignored(head.notFinal);
  if (!isObject(payload.installation)) {
    return ignored("delivery has no installation: AFU-9 acts only on deliveries of its GitHub App");
  }
  const branch = head.branches.find((b) => b.startsWith(FACTORY_BRANCH_PREFIX));
  if (branch === undefined) {
    return ignored(
      head.branches.length === 0
        ? "the event names no branch of its head commit"
        : `no factory branch among ${head.branches.slice(0, 3).join(", ")}`,
    );
  }
  const repositoryId = isObject(payload.repository) ? payload.repository.id : undefined;
  if (typeof repositoryId !== "number" || !Number.isSafeInteger(repositoryId)) {
    return ignored("payload field repository.id is not an integer");
  }
  if (typeof head.sha !== "string" || !/^[0-9a-f]{40}$/i.test(head.sha)) {
    return ignored("the event's head SHA is not a commit SHA");
  }
  return { kind: "ci", event, repositoryId, headSha: head.sha, branch };
}
