// RevisePullRequest (action "revise"): `/afu9 revise <what>` from a maintainer. The command's text
// is read again from GitHub (the execution input carries it by reference); its ```diff or
// SEARCH/REPLACE blocks are applied to the PR head as written; without blocks and with AI on, the
// request goes to the model with the PR's diff and the localized files; without either, the reply
// says what is needed. The change passes the ValidatePatch rules and is pushed as ONE
// fast-forward commit on the PR branch; CI is then waited for and the PR merged per config.
// Every refusal is a reply and `outcome: "refused"`, never an operator alarm.
import type { Octokit } from "@octokit/rest";
import type { PullRequestCommand, RevisionResult, WorkflowState } from "../../../contract/state";
import { isFactoryError } from "../../../contract/errors";
import { replyToCommand } from "../../github/command-feedback";
import { httpStatus } from "../../github/errors";
import { readCommit, type RepoRef } from "../../github/git-trees";
import { parseSearchReplaceBlocks } from "../../patch-text/edit-instructions";
import { isPatchError } from "../../patch-text/patch-errors";
import { commandReply, parseCommandText } from "../../shared/pr-commands";
import { defaultRepoConfig } from "../../shared/repo-config";
import {
  effectivePatch,
  ownCommits,
  prSwitches,
  repoOf,
  requireSlice,
  shortSha,
} from "../../shared/run-state";
import type { TaskDeps } from "../../shared/types";
import { clipBytes } from "../../untrusted-text/sanitize";
import { selectRelevantFiles } from "../ai/ai-strategy";
import { estimateTokens } from "../ai/provider";
import { formatChangeSet, type FileChange } from "../change-set";
import { applyEditsToRepo, generateChanges, type Usage } from "../generate-changes";
import { createGitHubRepoReader, readCommitChanges } from "../github-repo";
import { pushCommitToPullRequest } from "../push-to-pull-request";
import type { RepairModel } from "../repair/repair";
import { validateChanges } from "../validate-changes";
import { REVISION_SYSTEM_PROMPT, buildRevisionPrompt } from "./revision-prompt";

const DIFF_BYTES = 12_000;
const MIN_OUTPUT_TOKENS = 256;

/** The command's text as it is now on GitHub, or why it cannot be used. */
async function readCommandText(
  octokit: Octokit,
  ref: RepoRef,
  command: PullRequestCommand,
): Promise<{ text: string } | { refused: string }> {
  let body: string | null | undefined;
  let author: string | undefined;
  try {
    switch (command.source.kind) {
      case "issue_comment": {
        const { data } = await octokit.rest.issues.getComment({
          ...ref,
          comment_id: command.source.id,
        });
        ({ body } = data);
        author = data.user?.login;
        break;
      }
      case "review_comment": {
        const { data } = await octokit.rest.pulls.getReviewComment({
          ...ref,
          comment_id: command.source.id,
        });
        ({ body } = data);
        author = data.user.login;
        break;
      }
      case "review": {
        const { data } = await octokit.rest.pulls.getReview({
          ...ref,
          pull_number: command.pullNumber,
          review_id: command.source.id,
        });
        ({ body } = data);
        author = data.user?.login;
        break;
      }
    }
  } catch (error) {
    if (httpStatus(error) === 404) return { refused: "the comment was deleted" };
    throw error;
  }
  // The permission was checked for this author; a text by anyone else is not the command.
  if (author !== command.by) return { refused: `the comment is not by @${command.by}` };
  if (parseCommandText(body)?.name !== "revise") {
    return { refused: "the comment no longer starts with `/afu9 revise`" };
  }
  return { text: body ?? "" };
}

function spentSoFar(state: WorkflowState): Usage {
  const usage = state.revision?.usage ?? state.repair?.usage ?? effectivePatch(state)?.usage;
  return {
    calls: usage?.calls ?? 0,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
  };
}

export async function revisePullRequest(
  state: WorkflowState,
  deps: TaskDeps,
  model: RepairModel | null | undefined,
): Promise<RevisionResult> {
  const command = requireSlice(state, "command", "revise");
  const pr = requireSlice(state, "pr", "revise");
  const ref = repoOf(state);
  const octokit = await deps.github(state.installationId);
  const log = { issue: state.issue.number, pullRequest: pr.number, by: command.by };
  const usage = spentSoFar(state);
  const reply = (text: string) =>
    replyToCommand(octokit, ref, command, commandReply(command, text));
  const refuse = async (reason: string, strategy?: RevisionResult["strategy"]) => {
    await reply(`Nothing pushed: ${reason}`);
    deps.logger.info("revision refused", { ...log, reason });
    const result: RevisionResult = { outcome: "refused", files: [], reason };
    if (strategy) result.strategy = strategy;
    if (usage.calls > 0) result.usage = usage;
    return result;
  };

  const read = await readCommandText(octokit, ref, command);
  if ("refused" in read) return refuse(`${read.refused}.`);
  const { data: pull } = await octokit.rest.pulls.get({ ...ref, pull_number: pr.number });
  if (pull.state !== "open") return refuse(`pull request #${pr.number} is ${pull.state}.`);
  const headSha = pull.head.sha;
  const head = await readCommit(octokit, ref, headSha);
  const reader = createGitHubRepoReader(octokit, ref, head.treeSha, headSha);

  let strategy: RevisionResult["strategy"];
  let changes: FileChange[];
  try {
    const generated = await generateChanges(
      { title: "", body: read.text, trustedComments: [], aiEnabled: false },
      reader,
      { ai: null },
    );
    strategy = generated.strategy;
    changes = generated.changes;
  } catch (error) {
    if (!isPatchError(error)) throw error;
    if (!isPatchError(error, "NoPatchStrategy")) return refuse((error as Error).message);
    if (!model) {
      return refuse(
        "the comment has no ```diff block and no SEARCH/REPLACE blocks, and AI is off for this " +
          "factory: write the change as a diff or as SEARCH/REPLACE blocks after `/afu9 revise`.",
      );
    }
    strategy = "ai";
    const asked = await askModel(octokit, ref, state, model, read.text, headSha, reader, usage);
    if ("refused" in asked) return refuse(asked.refused, strategy);
    changes = asked.changes;
  }

  const config = state.analysis?.config ?? defaultRepoConfig();
  const entries = await reader.entries();
  const violations = validateChanges(
    changes,
    { protectedPaths: config.protectedPaths, limits: config.limits },
    (path) => entries.get(path)?.mode,
  );
  if (violations.length > 0) {
    return refuse(
      violations
        .slice(0, 5)
        .map((v) => `${v.rule}${v.path ? ` (\`${v.path}\`)` : ""}: ${v.message}`)
        .join("; "),
      strategy,
    );
  }
  const files = changes.map((change) => change.path);
  if (prSwitches(state).dryRun) {
    return refuse(`dry run: AFU-9 would push a commit changing ${files.join(", ")}.`, strategy);
  }
  let pushed;
  try {
    pushed = await pushCommitToPullRequest(octokit, ref, {
      pullNumber: pr.number,
      expectedHeadSha: headSha,
      ownCommits: ownCommits(state),
      changes,
      message:
        `AFU-9: revision for #${state.issue.number}\n\n` +
        `Requested by @${command.by} with /afu9 revise on #${pr.number}.\n`,
    });
  } catch (error) {
    if (isFactoryError(error, "BranchNotOwned") || isFactoryError(error, "BranchMoved")) {
      return refuse((error as Error).message, strategy);
    }
    throw error;
  }
  await reply(
    `Pushed \`${shortSha(pushed.commitSha)}\` on \`${pushed.branch}\` (${files.map((f) => `\`${f}\``).join(", ")}). ` +
      "AFU-9 waits for CI and merges as `.github/afu9.yml` says.",
  );
  deps.logger.info("revision pushed", { ...log, strategy, files: files.length });
  return {
    outcome: "pushed",
    strategy,
    headSha: pushed.commitSha,
    files,
    ...(usage.calls > 0 ? { usage } : {}),
  };
}

/** The model's SEARCH/REPLACE edits for the request, within the per-issue AI budget. */
async function askModel(
  octokit: Octokit,
  ref: RepoRef,
  state: WorkflowState,
  model: RepairModel,
  request: string,
  headSha: string,
  reader: ReturnType<typeof createGitHubRepoReader>,
  usage: Usage,
): Promise<{ changes: FileChange[] } | { refused: string }> {
  const { limits } = model;
  if (usage.calls >= limits.maxCalls) {
    return { refused: `all ${limits.maxCalls} AI calls of the per-issue budget are used.` };
  }
  const { data: compare } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...ref,
    basehead: `${state.repository.defaultBranch}...${headSha}`,
  });
  const base = await readCommit(octokit, ref, compare.merge_base_commit.sha);
  const head = await readCommit(octokit, ref, headSha);
  const prChanges = await readCommitChanges(octokit, ref, base.treeSha, head.treeSha);
  const fromPr = prChanges
    .filter((change) => change.newFile && change.newFile.content.length <= limits.maxFileBytes)
    .map((change) => ({
      path: change.path,
      content: change.newFile!.content,
      reasons: ["changed by this pull request"],
    }));
  const context = await selectRelevantFiles(
    { title: state.issue.title, body: request, trustedComments: [], aiEnabled: true },
    reader,
    limits,
  );
  const files = [
    ...fromPr,
    ...context.files.filter((file) => !fromPr.some((own) => own.path === file.path)),
  ].slice(0, limits.maxFiles);
  const prompt = buildRevisionPrompt({
    issue: { title: state.issue.title },
    request,
    diff: clipBytes(formatChangeSet(prChanges), DIFF_BYTES),
    files,
    treeMap: context.treeMap,
  });
  const remaining = limits.maxTokens - usage.inputTokens - usage.outputTokens;
  const promptTokens = estimateTokens(REVISION_SYSTEM_PROMPT + prompt);
  if (promptTokens + MIN_OUTPUT_TOKENS > remaining) {
    return {
      refused: `the revision prompt needs ~${promptTokens} tokens and ${Math.max(0, remaining)} of ${limits.maxTokens} are left.`,
    };
  }
  const answer = await model.provider.complete({
    system: REVISION_SYSTEM_PROMPT,
    messages: [{ role: "user", content: prompt }],
    maxOutputTokens: Math.min(limits.maxOutputTokens, remaining - promptTokens),
  });
  usage.calls += 1;
  usage.inputTokens += answer.inputTokens;
  usage.outputTokens += answer.outputTokens;
  try {
    const edits = parseSearchReplaceBlocks(answer.text);
    const changes = edits.length > 0 ? await applyEditsToRepo(edits, reader) : [];
    if (changes.length === 0) {
      return { refused: "the model's answer holds no SEARCH/REPLACE edit that changes a file." };
    }
    return { changes };
  } catch (error) {
    if (!isPatchError(error)) throw error;
    return { refused: `the model's edits do not apply: ${error.message}` };
  }
}
