// PrepareCommand: the first task of a run started by a `/afu9` command. The repository's config
// decides what the command may do (automerge, merge method, limits, protected paths), as it does
// for an issue run; the PR must still be this issue's open factory PR. When it is not (merged or
// closed meanwhile, AFU-9 switched off), the command's author gets a reply and the run ends
// NotActionable. The analysis is the command's, not a classification of the issue.
import { branchForIssue } from "../../contract/conventions";
import type { Analysis, WorkflowState } from "../../contract/state";
import { replyToCommand } from "../github/command-feedback";
import { commandReply } from "../shared/pr-commands";
import { REPO_CONFIG_PATH, effectiveRepairRounds } from "../shared/repo-config";
import { repoOf, requireSlice } from "../shared/run-state";
import type { TaskDeps } from "../shared/types";
import { readRepoConfig } from "./analyze-issue";

export async function prepareCommandRun(
  state: WorkflowState,
  deps: TaskDeps,
  options: { aiEnabled?: boolean } = {},
): Promise<Analysis> {
  const command = requireSlice(state, "command", "prepareCommand");
  const ref = repoOf(state);
  const octokit = await deps.github(state.installationId);
  const config = await readRepoConfig(octokit, ref.owner, ref.repo, state.repository.defaultBranch);
  const { data: pull } = await octokit.rest.pulls.get({ ...ref, pull_number: command.pullNumber });
  let refusal: string | undefined;
  if (config.status === "invalid") {
    refusal = `\`${REPO_CONFIG_PATH}\` is invalid (${config.key}: ${config.message}); fix it first.`;
  } else if (config.status === "missing" || !config.config.enabled) {
    refusal = `AFU-9 is not enabled in \`${REPO_CONFIG_PATH}\` of this repository.`;
  } else if (pull.state !== "open") {
    refusal = `pull request #${pull.number} is ${pull.merged ? "merged" : "closed"}: nothing to do.`;
  } else if (pull.head.ref !== branchForIssue(state.issue.number)) {
    refusal = `pull request #${pull.number} is not AFU-9's pull request of issue #${state.issue.number}.`;
  }
  const reasons = [`/afu9 ${command.name} by @${command.by} on #${command.pullNumber}`];
  const base = {
    type: "chore" as const,
    priority: "P3" as const,
    plan: null,
    textSha256: state.issue.textSha256,
  };
  if (refusal !== undefined || config.status !== "ok") {
    await replyToCommand(octokit, ref, command, commandReply(command, `Not done: ${refusal}`));
    deps.logger.info("command not actionable", { pullRequest: command.pullNumber, refusal });
    return {
      ...base,
      actionable: false,
      reasons: [...reasons, `command fail: ${refusal}`],
      config: config.status === "ok" ? config.config : null,
    };
  }
  const rounds = effectiveRepairRounds(config.config, options.aiEnabled ?? false);
  return {
    ...base,
    actionable: true,
    reasons,
    config: config.config,
    ...(rounds > 0 ? { repair: { maxRounds: rounds } } : {}),
  };
}
