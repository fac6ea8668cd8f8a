// Names the factory uses on GitHub and in CloudWatch that more than one part must agree on: the
// webhook recognises the factory's branches, the task functions create them, the simulator and the
// demo look for them; the metrics namespace is written by the handlers and read by the alarms.

/** Every factory branch starts with this; nothing else the factory touches does. */
export const BRANCH_PREFIX = "afu9/";

/** The one branch (and so the one open PR) per issue. */
export function branchForIssue(issueNumber: number): string {
  return `${BRANCH_PREFIX}issue-${issueNumber}`;
}

/** The issue a factory branch belongs to (`afu9/issue-<n>`), or undefined for any other branch. */
export function issueForBranch(branch: string): number | undefined {
  const match = /^afu9\/issue-([1-9][0-9]{0,9})$/.exec(branch);
  return match ? Number(match[1]) : undefined;
}

/** Label every factory PR carries. */
export const FACTORY_LABEL = "afu9";
/** Label PostFeedback sets on a PR whose CI failed. */
export const CI_FAILED_LABEL = "afu9:ci-failed";
/** Label `/afu9 stop` sets on a factory PR: AFU-9 stopped working on it (the PR stays open). */
export const STOPPED_LABEL = "afu9:stopped";

/** What starts a command on a factory PR: `/afu9 <word> [args]` at the start of the text. */
export const COMMAND_PREFIX = "/afu9";

/** Namespace of the EMF metrics the handlers write and the alarms and dashboard read. */
export const METRICS_NAMESPACE = "AFU9";
/** Webhook deliveries, one per delivery, by `outcome` (started, ignored, ci-resumed, ...). */
export const DELIVERIES_METRIC = "Deliveries";
/** `/afu9` commands refused because their author may not command the PR, by `command`. */
export const COMMANDS_REFUSED_METRIC = "CommandsRefused";
