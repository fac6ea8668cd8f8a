// AnalyzeIssue: the I/O around the pure interpreter. Reads the repository config, the current
// issue, its events and comments, the collaborator permission of everyone whose action matters, and
// open AFU-9 pull requests; then labels the issue and upserts the one analysis comment.
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "../github/errors";
import { upsertMarkedComment } from "../github/marked-comment";
import { patchPlanFromGitHub } from "../localization/plan-from-github";
import { readPermission } from "../github/permissions";
import type { TaskDeps } from "../shared/types";
import type { Analysis, WorkflowState } from "../../contract/state";
import { isDryRun } from "../shared/run-state";
import {
  ANALYSIS_COMMENT_KIND,
  renderAnalysisComment,
  renderConfigErrorComment,
} from "./analysis-comment";
import {
  interpretIssue,
  type CommentLike,
  type InterpretInput,
  type Interpretation,
  type IssueEventLike,
  type IssueLike,
  type PermissionLevel,
} from "./interpret";
import { findMergedFactoryPull } from "./finished-issue";
import { applyAnalysisLabels } from "./issue-labels";
import {
  REPO_CONFIG_PATH,
  effectiveRepairRounds,
  parseRepoConfig,
  type RepoConfigResult,
} from "../shared/repo-config";
import { labelNames } from "../github/labels";
import { branchForIssue } from "../../contract/conventions";

/** Distinct commenters whose permission is looked up; beyond this their comments stay untrusted. */
const MAX_COMMENTER_LOOKUPS = 20;

export async function readRepoConfig(
  octokit: Octokit,
  owner: string,
  repo: string,
  ref: string,
): Promise<RepoConfigResult> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: REPO_CONFIG_PATH,
      ref,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      return { status: "invalid", key: "(file)", message: `${REPO_CONFIG_PATH} is not a file` };
    }
    return parseRepoConfig(Buffer.from(data.content, "base64").toString("utf8"));
  } catch (error) {
    if (httpStatus(error) === 404) return parseRepoConfig(null);
    throw error;
  }
}

export interface AnalyzeOptions {
  /** The stack's AI patch provider is on, so the AI strategy can apply to prose-only issues. */
  aiEnabled?: boolean;
}

type RepoTarget = { owner: string; repo: string; issueNumber: number };

/** The people whose permission decides trust: the author, who applied the trigger or renamed, commenters. */
export function loginsToLookUp(
  issue: IssueLike,
  events: IssueEventLike[],
  comments: CommentLike[],
  triggerLabel: string,
): string[] {
  const logins = new Set<string>();
  if (issue.user) logins.add(issue.user.login);
  const trigger = triggerLabel.toLowerCase();
  for (const e of events) {
    if (!e.actor) continue;
    const appliedTrigger = e.event === "labeled" && e.label?.name.toLowerCase() === trigger;
    if (appliedTrigger || e.event === "renamed") logins.add(e.actor.login);
  }
  const commenters = [
    ...new Set(comments.filter((c) => c.user && c.user.type !== "Bot").map((c) => c.user!.login)),
  ];
  for (const login of commenters.slice(0, MAX_COMMENTER_LOOKUPS)) logins.add(login);
  return [...logins];
}

/** Everything the trust rules read beyond the issue itself: events, comments, PRs, permissions. */
async function readTrustFacts(
  octokit: Octokit,
  { owner, repo, issueNumber }: RepoTarget,
  issue: IssueLike,
  triggerLabel: string,
): Promise<Pick<InterpretInput, "events" | "comments" | "permissions" | "openPullRequests">> {
  const branch = branchForIssue(issueNumber);
  const [events, comments, openPulls] = await Promise.all([
    octokit.paginate(octokit.rest.issues.listEvents, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }) as Promise<IssueEventLike[]>,
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }) as Promise<CommentLike[]>,
    octokit.rest.pulls.list({
      owner,
      repo,
      state: "open",
      head: `${owner}:${branch}`,
      per_page: 100,
    }),
  ]);
  // Filtered again here: the `head` filter matches owner:branch, and only a PR from this
  // repository's own branch is AFU-9's.
  const openPullRequests = openPulls.data
    .filter((pr) => pr.head.ref === branch && pr.head.repo?.full_name === `${owner}/${repo}`)
    .map((pr) => pr.number);
  const permissions: Record<string, PermissionLevel> = {};
  await Promise.all(
    loginsToLookUp(issue, events, comments, triggerLabel).map(async (login) => {
      permissions[login] = await readPermission(octokit, { owner, repo }, login);
    }),
  );
  return { events, comments, permissions, openPullRequests };
}

function checkSummary(result: Interpretation): string {
  return result.checks.map((c) => `${c.rule}:${c.status}`).join(",");
}

/**
 * A disabled or broken config, a closed or locked issue, a pull request: nothing more is read, and
 * the only write is the one comment naming a broken config's bad key.
 */
async function analyzeWithoutActing(
  octokit: Octokit,
  target: RepoTarget,
  facts: Pick<InterpretInput, "issue" | "config" | "delivery"> & { closedOrLocked: boolean },
  log: (checks: string) => void,
): Promise<Analysis> {
  // Not read, so unknown: the analysis must not claim, say, "no event shows who labelled".
  const result = interpretIssue({
    issue: facts.issue,
    config: facts.config,
    events: "unknown",
    comments: "unknown",
    permissions: {},
    openPullRequests: "unknown",
    delivery: facts.delivery,
  });
  const config = facts.config;
  if (config !== "unknown" && config.status === "invalid" && !facts.closedOrLocked) {
    await upsertMarkedComment(
      octokit,
      target,
      ANALYSIS_COMMENT_KIND,
      renderConfigErrorComment(config.key, config.message),
    );
  }
  log(checkSummary(result));
  return result.analysis;
}

export async function analyzeIssueTask(
  state: WorkflowState,
  deps: TaskDeps,
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const { owner, name: repo, defaultBranch } = state.repository;
  const target: RepoTarget = { owner, repo, issueNumber: state.issue.number };
  const octokit = await deps.github(state.installationId);
  const log = { owner, repo, issue: target.issueNumber, delivery: state.delivery.id };

  const config = await readRepoConfig(octokit, owner, repo, defaultBranch);
  const { data: current } = await octokit.rest.issues.get({
    owner,
    repo,
    issue_number: target.issueNumber,
  });
  const issue = current as IssueLike;
  const delivery = {
    event: state.delivery.event,
    action: state.delivery.action,
    ...(state.delivery.label !== undefined ? { label: state.delivery.label } : {}),
    sender: state.sender.login,
    textSha256: state.issue.textSha256,
  };

  const closedOrLocked = issue.state !== "open" || issue.locked === true || !!issue.pull_request;
  const mergedPull =
    !closedOrLocked && config.status === "ok" && config.config.enabled
      ? await findMergedFactoryPull(octokit, owner, repo, target.issueNumber)
      : undefined;
  if (config.status !== "ok" || !config.config.enabled || closedOrLocked || mergedPull) {
    const analysis = await analyzeWithoutActing(
      octokit,
      target,
      { issue, config, delivery, closedOrLocked: closedOrLocked || mergedPull !== undefined },
      (checks) =>
        deps.logger.info("issue analysed; nothing to do", {
          ...log,
          config: config.status,
          ...(mergedPull ? { mergedPull } : {}),
          checks,
        }),
    );
    // The factory's pull request for this issue was merged: the issue is done, quietly.
    return mergedPull
      ? {
          ...analysis,
          actionable: false,
          reasons: [
            ...analysis.reasons,
            `pull-request fail: AFU-9 pull request #${mergedPull} was merged; the issue is done`,
          ],
        }
      : analysis;
  }

  const result = interpretIssue({
    issue,
    config,
    ...(await readTrustFacts(octokit, target, issue, config.config.triggerLabel)),
    delivery,
    aiEnabled: options.aiEnabled ?? false,
  });
  if (config.config.applyLabels) {
    await applyAnalysisLabels(octokit, target, labelNames(issue.labels), {
      type: result.analysis.type,
      priority: result.analysis.priority,
    });
  }
  // No strategy applies: a human takes over, so the comment names the files most likely involved.
  const patchPlan =
    result.analysis.plan === null
      ? await patchPlanFromGitHub(
          octokit,
          { owner, repo, ref: defaultBranch },
          { title: issue.title, body: issue.body ?? "", trustedComments: result.trustedComments },
        )
      : undefined;
  await upsertMarkedComment(
    octokit,
    target,
    ANALYSIS_COMMENT_KIND,
    renderAnalysisComment(result, patchPlan),
  );
  const repairRounds = effectiveRepairRounds(config.config, options.aiEnabled ?? false);
  deps.logger.info("issue analysed", {
    ...log,
    type: result.analysis.type,
    priority: result.analysis.priority,
    actionable: result.analysis.actionable,
    checks: checkSummary(result),
    repairRounds,
  });
  const analysis: Analysis =
    repairRounds > 0
      ? { ...result.analysis, repair: { maxRounds: repairRounds } }
      : result.analysis;
  return isDryRun(state.settings, config.config) ? { ...analysis, dryRun: true } : analysis;
}
