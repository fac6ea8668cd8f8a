// The webhook's answer to a `/afu9` command on a pull request. In order, reads before any write:
// the PR (its head branch names the issue: `afu9/issue-<n>` of this repository, else ignored),
// the author's permission through the API (write, maintain or admin; never author_association):
// anyone else is refused with a log line and a metric, and nothing is written or started. Then
// the command is acknowledged (👀, or a reply on a review body) and:
// - `help` / an unknown word: one reply listing the commands (no run);
// - a run of the issue waits for CI on the PR head (its CI wait registration exists): the command
//   resumes that wait (SendTaskSuccess with a CiWake of source "command"); the run acts on it;
// - otherwise: an execution with `input.command`, which takes the issue's run lock like any
//   delivery (workflow/run-lock-states.ts: it queues behind an active run, or is answered busy).
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { Octokit } from "@octokit/rest";
import { issueForBranch, COMMANDS_REFUSED_METRIC } from "../../contract/conventions";
import type { ExecutionInput, FactorySettings } from "../../contract/state";
import { acknowledgeCommand, replyToCommand } from "../github/command-feedback";
import { canWrite, readPermission, type PermissionLevel } from "../github/permissions";
import type { MetricsSink } from "../runtime/logger";
import { issueTextSha256 } from "../shared/issue-text";
import { commandReply, helpReply } from "../shared/pr-commands";
import type { Clock, GitHubClientFactory, Logger } from "../shared/types";
import { answerStartResult, refusal, type Answer } from "./answers";
import type { CiWaitAccess } from "./answer-ci-event";
import { executionName } from "./execution-name";
import { routeCommandDelivery, type CommandCandidate } from "./pr-command";
import { commandFingerprint } from "./run-fingerprint";
import { resumeCiWait } from "./resume-ci-wait";
import { startExecution } from "./start-execution";

export interface CommandAccess {
  /** Installation clients: read the PR and the permission, react and reply. */
  github: GitHubClientFactory;
}

export interface CommandDeps {
  commands?: CommandAccess;
  ciWait?: CiWaitAccess;
  sfn: SFNClient;
  stateMachineArn: string;
  settings: FactorySettings;
  clock: Pick<Clock, "now">;
  logger: Logger;
  metrics: MetricsSink;
}

function ignored(reason: string, log: Record<string, unknown> = {}): Answer {
  return {
    status: 202,
    outcome: "ignored",
    body: { outcome: "ignored", reason },
    log: { reason, ...log },
  };
}

function answered(outcome: "command-answered" | "command-resumed", log: Record<string, unknown>) {
  return { status: 202, outcome, body: { outcome, ...log }, log } satisfies Answer;
}

function failed(error: unknown, log: Record<string, unknown>): Answer {
  return failedWith(
    error instanceof Error ? error.name : "Error",
    error instanceof Error ? error.message : String(error),
    log,
  );
}

function failedWith(errorName: string, errorMessage: string, log: Record<string, unknown>): Answer {
  return refusal(
    503,
    "command-failed",
    "could not read or answer the command on GitHub; redeliver this delivery later",
    { ...log, errorName, errorMessage },
  );
}

export async function answerPullRequestCommand(
  event: string,
  deliveryId: string,
  payload: unknown,
  deps: CommandDeps,
): Promise<Answer | undefined> {
  const decision = routeCommandDelivery(event, payload);
  if (decision === undefined) return undefined;
  if (decision.kind === "ignored") return ignored(decision.reason, { action: decision.action });
  if (decision.kind === "invalid") {
    return refusal(400, "invalid-payload", decision.message, { reason: decision.message });
  }
  const { command } = decision;
  const log: Record<string, unknown> = {
    command: command.name,
    pullRequest: command.pullNumber,
    by: command.by,
  };
  if (!deps.commands) {
    return ignored("PR commands are not set up for this webhook (no GitHub App access)", log);
  }
  const ref = { owner: decision.repository.owner, repo: decision.repository.name };
  let octokit: Octokit;
  let pull: Awaited<ReturnType<Octokit["rest"]["pulls"]["get"]>>["data"];
  let permission: PermissionLevel;
  try {
    octokit = await deps.commands.github(decision.installationId);
    ({ data: pull } = await octokit.rest.pulls.get({ ...ref, pull_number: command.pullNumber }));
    const issue = issueForBranch(pull.head.ref);
    if (issue === undefined || pull.head.repo?.id !== decision.repository.id) {
      return ignored(
        `pull request #${command.pullNumber} is not a factory PR (head ${pull.head.label}): ` +
          `commands apply to AFU-9's own branches only`,
        log,
      );
    }
    log.issue = issue;
    permission = await readPermission(octokit, ref, command.by);
  } catch (error) {
    return failed(error, log);
  }
  if (!canWrite(permission)) {
    const reason =
      `@${command.by} has permission "${permission}" on ${ref.owner}/${ref.repo}: ` +
      `commands need write, maintain or admin`;
    deps.metrics.count(COMMANDS_REFUSED_METRIC, { command: command.name });
    return {
      status: 202,
      outcome: "command-refused",
      body: { outcome: "command-refused", reason },
      log: { ...log, reason, permission },
    };
  }
  const issueNumber = Number(log.issue);
  try {
    if (command.name === "help") {
      await replyToCommand(octokit, ref, command, helpReply(command));
      return answered("command-answered", log);
    }
    await acknowledgeCommand(
      octokit,
      ref,
      command,
      commandReply(command, "Seen: AFU-9 is on it and replies here when it acted."),
    );
    if (pull.state !== "open") {
      await replyToCommand(
        octokit,
        ref,
        command,
        commandReply(
          command,
          `Nothing to do: pull request #${command.pullNumber} is ${pull.merged ? "merged" : "closed"}.`,
        ),
      );
      return answered("command-answered", { ...log, pullState: pull.state });
    }
  } catch (error) {
    return failed(error, log);
  }
  if (deps.ciWait) {
    const resumed = await resumeCiWait(
      deps.ciWait.runTable(),
      deps.sfn,
      { event: "command", repositoryId: decision.repository.id, headSha: pull.head.sha, command },
      deliveryId,
    );
    if (resumed.kind === "ci-resumed") {
      return answered("command-resumed", { ...log, run: resumed.issue });
    }
    if (resumed.kind === "ci-resume-failed") {
      return failedWith(resumed.errorName, resumed.message, log);
    }
    if (resumed.kind === "ci-stale") log.staleWait = true;
  }

  let input: ExecutionInput;
  try {
    input = await commandExecutionInput(octokit, decision, issueNumber, deps, {
      id: deliveryId,
      event,
    });
  } catch (error) {
    return failed(error, log);
  }
  const name = executionName(deliveryId, issueNumber);
  log.executionName = name;
  const result = await startExecution(
    deps.sfn,
    { stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) },
    deps.clock,
  );
  const answer = answerStartResult(result, name);
  return { ...answer, log: { ...log, ...answer.log } };
}

/** The command run's input: the issue by reference (read now), the command, the settings. */
async function commandExecutionInput(
  octokit: Octokit,
  decision: CommandCandidate,
  issueNumber: number,
  deps: CommandDeps,
  delivery: { id: string; event: string },
): Promise<ExecutionInput> {
  const { data: issue } = await octokit.rest.issues.get({
    owner: decision.repository.owner,
    repo: decision.repository.name,
    issue_number: issueNumber,
  });
  const input: ExecutionInput = {
    delivery: {
      id: delivery.id,
      event: delivery.event,
      action: decision.command.name,
      receivedAt: Math.floor(deps.clock.now() / 1000),
    },
    installationId: decision.installationId,
    repository: decision.repository,
    issue: {
      number: issueNumber,
      title: issue.title,
      textSha256: issueTextSha256(issue.title, issue.body ?? ""),
      user: issue.user?.login ?? "",
      authorAssociation: issue.author_association ?? "NONE",
      labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
    },
    sender: decision.sender,
    command: decision.command,
    settings: deps.settings,
  };
  input.delivery.fingerprint = commandFingerprint(input);
  return input;
}
