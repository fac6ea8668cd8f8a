// github-app-manifest.json asks for exactly what AFU-9 uses: the permissions are derived from the
// REST endpoints the handlers call (found by scanning handlers/), the events from what the webhook
// router starts runs for. A new endpoint or event without a manifest update fails here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { routeDelivery } from "../../handlers/webhook/route";
import { DEFAULT_ISSUE_ACTIONS } from "../../handlers/webhook/config";
import { CI_EVENTS } from "../../handlers/webhook/ci-event";
import { REVIEW_EVENT } from "../../handlers/webhook/review-event";
import { REPO_ROOT } from "../support/repo-root";

/**
 * The permission a GitHub App needs to receive each CI or review event (GitHub docs, "Webhook
 * events and payloads"): check runs and suites with Checks, commit statuses with Commit statuses,
 * workflow runs with Actions, reviews and review comments with Pull requests.
 */
const EVENT_PERMISSIONS: Record<string, [string, Level]> = {
  check_run: ["checks", "read"],
  check_suite: ["checks", "read"],
  status: ["statuses", "read"],
  workflow_run: ["actions", "read"],
  pull_request_review: ["pull_requests", "read"],
  pull_request_review_comment: ["pull_requests", "read"],
};

/**
 * Events that wake a waiting run (CI, and reviews: the review gate before merge), and the one
 * subscribed for `/afu9` commands written as review comments on a factory PR.
 */
const WAKE_EVENTS = [...CI_EVENTS, REVIEW_EVENT];
const COMMAND_EVENTS = ["pull_request_review_comment"];

type Level = "read" | "write";

/**
 * The GitHub App permission each endpoint needs (GitHub docs, "Permissions required for GitHub
 * Apps"). Reads of git data, contents, compare and branches are Contents; labels and comments on
 * issues are Issues; the collaborator-permission read is Metadata; the required status checks of
 * branch protection are Administration (read), the rules of a branch (rulesets) Metadata (read);
 * a pull request's reviews are Pull requests (read); a GitHub Actions job's log is Actions (read).
 */
const ENDPOINT_PERMISSIONS: Record<string, [string, Level]> = {
  "actions.downloadJobLogsForWorkflowRun": ["actions", "read"],
  "checks.listAnnotations": ["checks", "read"],
  "checks.listForRef": ["checks", "read"],
  "git.createBlob": ["contents", "write"],
  "git.createCommit": ["contents", "write"],
  "git.createRef": ["contents", "write"],
  "git.createTree": ["contents", "write"],
  "git.deleteRef": ["contents", "write"],
  "git.updateRef": ["contents", "write"],
  "git.getBlob": ["contents", "read"],
  "git.getCommit": ["contents", "read"],
  "git.getRef": ["contents", "read"],
  "git.getTree": ["contents", "read"],
  "issues.addLabels": ["issues", "write"],
  "issues.createComment": ["issues", "write"],
  "issues.createLabel": ["issues", "write"],
  "issues.removeLabel": ["issues", "write"],
  "issues.updateComment": ["issues", "write"],
  "issues.get": ["issues", "read"],
  "issues.getComment": ["issues", "read"],
  "issues.getLabel": ["issues", "read"],
  "issues.listComments": ["issues", "read"],
  "issues.listEvents": ["issues", "read"],
  "issues.listLabelsOnIssue": ["issues", "read"],
  "pulls.create": ["pull_requests", "write"],
  "pulls.createReplyForReviewComment": ["pull_requests", "write"],
  "pulls.getReview": ["pull_requests", "read"],
  "pulls.getReviewComment": ["pull_requests", "read"],
  "reactions.createForIssueComment": ["issues", "write"],
  "reactions.createForPullRequestReviewComment": ["pull_requests", "write"],
  "pulls.update": ["pull_requests", "write"],
  "pulls.get": ["pull_requests", "read"],
  "pulls.list": ["pull_requests", "read"],
  "pulls.listReviews": ["pull_requests", "read"],
  "pulls.merge": ["contents", "write"],
  "repos.compareCommits": ["contents", "read"],
  "repos.compareCommitsWithBasehead": ["contents", "read"],
  "repos.downloadTarballArchive": ["contents", "read"],
  "repos.getBranch": ["contents", "read"],
  "repos.getBranchRules": ["metadata", "read"],
  "repos.getContent": ["contents", "read"],
  "repos.getCollaboratorPermissionLevel": ["metadata", "read"],
  "repos.getCombinedStatusForRef": ["statuses", "read"],
  "repos.getStatusChecksProtection": ["administration", "read"],
};

interface Manifest {
  default_permissions: Record<string, Level>;
  default_events: string[];
  hook_attributes: { url: string; active: boolean };
}

const ROOT = REPO_ROOT;
const manifest = JSON.parse(
  readFileSync(join(ROOT, "github-app-manifest.json"), "utf8"),
) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** `<client>.rest.<scope>.<method>` calls (also split over lines) and raw `.request("VERB /path")`. */
function endpointsCalledByHandlers(): { methods: Set<string>; rawRequests: string[] } {
  const methods = new Set<string>();
  const rawRequests: string[] = [];
  for (const file of sourceFiles(join(ROOT, "handlers"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/\.rest\s*\.\s*(\w+)\s*\.\s*(\w+)/g)) {
      methods.add(`${match[1]}.${match[2]}`);
    }
    for (const match of text.matchAll(/\.request\(\s*["'`](GET|POST|PUT|PATCH|DELETE) [^"'`]+/g)) {
      rawRequests.push(`${file}: ${match[0]}`);
    }
  }
  return { methods, rawRequests };
}

test("every REST endpoint the handlers call has a known permission", () => {
  const { methods, rawRequests } = endpointsCalledByHandlers();
  expect(methods.size).toBeGreaterThan(20);
  expect([...methods].filter((m) => !(m in ENDPOINT_PERMISSIONS))).toEqual([]);
  // Raw requests would escape the table above: use octokit.rest.* (or extend the scan).
  expect(rawRequests).toEqual([]);
});

test("the manifest asks for exactly the permissions those endpoints and the CI events need", () => {
  const { methods } = endpointsCalledByHandlers();
  const needed: Record<string, Level> = { metadata: "read" };
  const grant = ([permission, level]: [string, Level]) => {
    if (needed[permission] !== "write") needed[permission] = level;
  };
  for (const method of methods) grant(ENDPOINT_PERMISSIONS[method]);
  for (const event of [...WAKE_EVENTS, ...COMMAND_EVENTS]) grant(EVENT_PERMISSIONS[event]);
  expect(manifest.default_permissions).toEqual(needed);
  // Never more than AFU-9 needs: no workflow edits, no admin writes, no org permissions.
  expect(manifest.default_permissions.workflows).toBeUndefined();
  expect(manifest.default_permissions.administration).toBe("read");
});

test("the manifest subscribes to exactly the events the webhook starts or wakes runs for", () => {
  const examples = require("@octokit/webhooks-examples") as Array<{ name: string }>;
  const settings = {
    dryRun: false,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 3600,
    ciNoChecksGraceSeconds: 300,
  };
  const handled = examples
    .map((e) => e.name)
    .filter((name) => name !== "ping")
    .filter((name) => {
      const decision = routeDelivery(
        name,
        "d-1",
        { action: "created" },
        {
          issueActions: DEFAULT_ISSUE_ACTIONS,
          settings,
        },
      );
      return !(decision.kind === "ignored" && decision.reason.includes(`event "${name}"`));
    });
  expect([...handled, ...WAKE_EVENTS, ...COMMAND_EVENTS].sort()).toEqual(
    [...manifest.default_events].sort(),
  );
  expect(manifest.hook_attributes.active).toBe(true);
  expect(manifest.hook_attributes.url).toMatch(/^https:\/\/.+\/webhook$/);
});
