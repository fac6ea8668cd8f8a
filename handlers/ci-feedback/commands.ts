// The CI states' part of `/afu9` commands: the PR of a command run, the reply to retry and merge
// (the CI verdict now, and what a merge still needs), stop (label and reply) and the answer to a
// command that cannot queue behind the active run. Every reply goes where the command was written.
import { STOPPED_LABEL } from "../../contract/conventions";
import type { CiEvaluation, CiWake, PullRequestRef, WorkflowState } from "../../contract/state";
import { replyToCommand } from "../github/command-feedback";
import { readPatchCommitMarker } from "../shared/pr-markers";
import { commandReply, helpReply } from "../shared/pr-commands";
import { prSwitches, repoOf, requireSlice, shortSha } from "../shared/run-state";
import type { TaskDeps } from "../shared/types";
import { cell } from "./ci-comments";
import { evaluateCi } from "./evaluate";
import { mergeCommandOf } from "./merge-rules";

/** ReadCommandPullRequest: the PR as `$.pr`; CI waiting counts from the command. */
export async function readCommandPullRequest(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<PullRequestRef> {
  const command = requireSlice(state, "command", "readPullRequest");
  const octokit = await deps.github(state.installationId);
  const { data: pull } = await octokit.rest.pulls.get({
    ...repoOf(state),
    pull_number: command.pullNumber,
  });
  return {
    number: pull.number,
    url: pull.html_url,
    branch: pull.head.ref,
    // The commit AFU-9 last put there (the PR body's marker): a head other than that is someone
    // else's push, which evaluate reports and merge refuses.
    headSha: readPatchCommitMarker(pull.body) ?? pull.head.sha,
    created: false,
    openedAt: new Date(deps.clock.now()).toISOString(),
  };
}

function names(list: string[]): string {
  return list
    .slice(0, 10)
    .map((name) => `\`${cell(name)}\``)
    .join(", ");
}

/** The reply to retry / merge for the CI verdict `ci`. Pure. */
export function ciVerdictReply(state: WorkflowState, ci: CiEvaluation): string {
  const at = `\`${shortSha(ci.headSha)}\``;
  const switches = prSwitches(state);
  const merging = switches.automerge || mergeCommandOf(state) !== undefined;
  switch (ci.outcome) {
    case "success":
      if (!ci.headIsPatchCommit) {
        return `CI is green on ${at}, but the branch has commits AFU-9 did not make: a person merges it.`;
      }
      if (switches.dryRun) return `CI is green on ${at}; dry run: AFU-9 would merge now.`;
      return merging
        ? `CI is green on ${at}: merging.`
        : `CI is green on ${at}; automerge is off for this repository: \`/afu9 merge\` merges it.`;
    case "pending":
      return (
        `CI is still running on ${at}${ci.pendingChecks.length ? ` (${names(ci.pendingChecks)})` : ""}: ` +
        (merging ? "AFU-9 merges once it is green." : "AFU-9 evaluates it again when it finishes.")
      );
    case "failure":
      return (
        `Not merged: CI failed on ${at} (${names(ci.failures.map((f) => f.name))}). ` +
        "Re-run the failing checks and give `/afu9 retry`, or `/afu9 revise` a fix."
      );
    case "no-ci":
      return `Not merged: no CI reported for ${at}.`;
    case "timeout":
      return `Not merged: CI on ${at} did not finish within the wait bound.`;
  }
}

/**
 * AnswerCommand: retry / merge read CI now and say what it means; the run then acts on it. The
 * result replaces `$.ciWake`, so the command that woke the wait is taken once.
 */
export async function answerCommand(state: WorkflowState, deps: TaskDeps): Promise<CiWake> {
  const command = requireSlice(state, "command", "answerCommand");
  const octokit = await deps.github(state.installationId);
  const ref = repoOf(state);
  if (command.name !== "retry" && command.name !== "merge") {
    await replyToCommand(octokit, ref, command, helpReply(command));
    return { source: "command-answered" };
  }
  const ci = await evaluateCi(state, deps);
  await replyToCommand(octokit, ref, command, commandReply(command, ciVerdictReply(state, ci)));
  return { source: "command-answered", headSha: ci.headSha };
}

/** StopRun: the PR keeps its state, gets the stopped label, and the author a reply. */
export async function stopRun(state: WorkflowState, deps: TaskDeps): Promise<{ by: string }> {
  const command = requireSlice(state, "command", "stopRun");
  const pr = requireSlice(state, "pr", "stopRun");
  const octokit = await deps.github(state.installationId);
  const ref = repoOf(state);
  await octokit.rest.issues.addLabels({ ...ref, issue_number: pr.number, labels: [STOPPED_LABEL] });
  // A run woken from its CI wait was active; a command run found the issue without one.
  const text = state.ciWake
    ? `Stopped: AFU-9 ended its run on this pull request without merging. The PR stays open ` +
      `(label \`${STOPPED_LABEL}\`); \`/afu9 retry\` or \`/afu9 revise\` picks it up again.`
    : `No AFU-9 run was waiting on this pull request; it is labelled \`${STOPPED_LABEL}\` and ` +
      `stays open. \`/afu9 retry\` or \`/afu9 revise\` picks it up again.`;
  await replyToCommand(octokit, ref, command, commandReply(command, text));
  deps.logger.info("run stopped by command", { pullRequest: pr.number, by: command.by });
  return { by: command.by };
}

/** AnswerCommandBusy: the issue's run is busy and a delivery already waits; nothing was queued. */
export async function answerCommandBusy(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<Record<string, never>> {
  const command = requireSlice(state, "command", "answerCommandBusy");
  const octokit = await deps.github(state.installationId);
  await replyToCommand(
    octokit,
    repoOf(state),
    command,
    commandReply(
      command,
      `Not queued: AFU-9 is busy with issue #${state.issue.number} and another delivery already ` +
        `waits for it (one at a time). Give the command again once the current run has ended.`,
    ),
  );
  return {};
}
