// AnalyzeIssue: the I/O around the pure interpreter. Reads the repository config, the current
// issue, its events and comments, the collaborator permission of everyone whose action matters, and
// open AFU-9 pull requests; then labels the issue and upserts the one analysis comment.
import type { Octokit } from "@octokit/rest";
import { upsertMarkedComment } from "../github/marked-comment";
import { listBranchFiles } from "../patch-generator/github-repo";
import { buildPatchPlanSection } from "../patch-generator/patch-plan";
import type { TaskDeps } from "../shared/types";
import type { Analysis, WorkflowState } from "../../contract/state";
import {
  ANALYSIS_COMMENT_KIND,
  renderAnalysisComment,
  renderConfigErrorComment,
} from "./analysis-comment";
import {
  interpretIssue,
  labelNames,
  type CommentLike,
  type InterpretInput,
  type IssueEventLike,
  type IssueLike,
  type PermissionLevel,
} from "./interpret";
import { findMergedFactoryPull } from "./finished-issue";
import { applyAnalysisLabels } from "./issue-labels";
import { REPO_CONFIG_PATH, parseRepoConfig, type RepoConfigResult } from "./repo-config";

/** Distinct commenters whose permission is looked up; beyond this their comments stay untrusted. */
const MAX_COMMENTER_LOOKUPS = 20;

function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

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

/** Repository permission of one login; a 404 (not a collaborator / no such user) is "none". */
export async function readPermission(
  octokit: Octokit,
  owner: string,
  repo: string,
  username: string,
): Promise<PermissionLevel> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username,
    });
    // `permission` folds custom and maintain roles into admin/write/read/none, which is exactly
    // the question asked; `role_name` distinguishes maintain and triage for the report.
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

export interface AnalyzeOptions {
  /** The stack's AI patch provider is on, so the AI strategy can apply to prose-only issues. */
  aiEnabled?: boolean;
}

export async function analyzeIssueTask(
  state: WorkflowState,
  deps: TaskDeps,
  options: AnalyzeOptions = {},
): Promise<Analysis> {
  const { owner, name: repo, defaultBranch } = state.repository;
  const issueNumber = state.issue.number;
  const octokit = await deps.github(state.installationId);
  const log = { owner, repo, issue: issueNumber, delivery: state.delivery.id };

  const config = await readRepoConfig(octokit, owner, repo, defaultBranch);
  const { data: current } = await octokit.rest.issues.get({
    owner,
    repo,
    issue_number: issueNumber,
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
      ? await findMergedFactoryPull(octokit, owner, repo, issueNumber)
      : undefined;
  if (config.status !== "ok" || !config.config.enabled || closedOrLocked || mergedPull) {
    // Not read, so unknown: the analysis must not claim, say, "no event shows who labelled".
    const result = interpretIssue({
      issue,
      config,
      events: "unknown",
      comments: "unknown",
      permissions: {},
      openPullRequests: "unknown",
      delivery,
    });
    if (config.status === "invalid" && !closedOrLocked) {
      // The one thing that happens with a broken config: one comment naming the bad key.
      await upsertMarkedComment(
        octokit,
        { owner, repo, issueNumber },
        ANALYSIS_COMMENT_KIND,
        renderConfigErrorComment(config.key, config.message),
      );
    }
    // Pull requests, closed and locked issues, and issues whose factory pull request was merged
    // are left alone: nothing is read or written on them.
    const analysis = mergedPull
      ? {
          ...result.analysis,
          actionable: false,
          reasons: [
            ...result.analysis.reasons,
            `pull-request fail: AFU-9 pull request #${mergedPull} was merged; the issue is done`,
          ],
        }
      : result.analysis;
    deps.logger.info("issue analysed; nothing to do", {
      ...log,
      config: config.status,
      ...(mergedPull ? { mergedPull } : {}),
      checks: result.checks.map((c) => `${c.rule}:${c.status}`).join(","),
    });
    return analysis;
  }

  const [events, comments, openPulls] = await Promise.all([
    octokit.paginate(octokit.rest.issues.listEvents, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }),
    octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    }),
    octokit.rest.pulls.list({
      owner,
      repo,
      state: "open",
      head: `${owner}:afu9/issue-${issueNumber}`,
      per_page: 100,
    }),
  ]);
  const branch = `afu9/issue-${issueNumber}`;
  // Filtered again here: the `head` filter matches owner:branch, and only a PR from this
  // repository's own branch is AFU-9's.
  const openPullRequests = openPulls.data
    .filter((pr) => pr.head.ref === branch && pr.head.repo?.full_name === `${owner}/${repo}`)
    .map((pr) => pr.number);

  const logins = new Set<string>();
  if (issue.user) logins.add(issue.user.login);
  const trigger = config.config.triggerLabel.toLowerCase();
  for (const e of events as IssueEventLike[]) {
    if (!e.actor) continue;
    const appliedTrigger = e.event === "labeled" && e.label?.name.toLowerCase() === trigger;
    if (appliedTrigger || e.event === "renamed") logins.add(e.actor.login);
  }
  const commenters = [
    ...new Set(
      (comments as CommentLike[])
        .filter((c) => c.user && c.user.type !== "Bot")
        .map((c) => c.user!.login),
    ),
  ];
  for (const login of commenters.slice(0, MAX_COMMENTER_LOOKUPS)) logins.add(login);
  const permissions: Record<string, PermissionLevel> = {};
  await Promise.all(
    [...logins].map(async (login) => {
      permissions[login] = await readPermission(octokit, owner, repo, login);
    }),
  );

  const input: InterpretInput = {
    issue,
    config,
    events: events as IssueEventLike[],
    comments: comments as CommentLike[],
    permissions,
    openPullRequests,
    delivery,
    aiEnabled: options.aiEnabled ?? false,
  };
  const result = interpretIssue(input);
  if (config.config.applyLabels) {
    await applyAnalysisLabels(octokit, { owner, repo, issueNumber }, labelNames(issue), {
      type: result.analysis.type,
      priority: result.analysis.priority,
    });
  }
  // No strategy applies: a human takes over, so the comment names the files most likely involved.
  const patchPlan =
    result.analysis.plan === null
      ? buildPatchPlanSection(
          { title: issue.title, body: issue.body ?? "", trustedComments: result.trustedComments },
          await listBranchFiles(octokit, { owner, repo }, defaultBranch),
        )
      : undefined;
  await upsertMarkedComment(
    octokit,
    { owner, repo, issueNumber },
    ANALYSIS_COMMENT_KIND,
    renderAnalysisComment(result, patchPlan),
  );
  deps.logger.info("issue analysed", {
    ...log,
    type: result.analysis.type,
    priority: result.analysis.priority,
    actionable: result.analysis.actionable,
    checks: result.checks.map((c) => `${c.rule}:${c.status}`).join(","),
  });
  return result.analysis;
}
