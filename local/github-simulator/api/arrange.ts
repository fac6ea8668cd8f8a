// Arranging state as people and GitHub would: installations, repositories, permissions, issues,
// labels and comments by users, pushes. Emits the webhooks those actions cause.
import type { SimContext } from "../context";
import { emitCommentEvent, emitIssueEvent } from "../payloads";
import { ensureLabel, recordIssueEvent, renderIssue, renderLabel } from "../render/issues";
import { moveRef } from "../routes/ref-updates";
import { createIssueState } from "../routes/issues";
import { commitTree, writeBlob, writeCommit, writeFlatTree } from "../state/git-objects";
import { nextId, repoKey, userId, type RepoState } from "../state/store";
import type { GitHubSimulator, IssueRestObject } from "../simulator-types";
import { findRepo } from "./lookup";

type ArrangeApi = Pick<
  GitHubSimulator,
  | "createInstallation"
  | "createRepository"
  | "setPermission"
  | "createIssue"
  | "addLabel"
  | "editIssue"
  | "addComment"
  | "pushCommit"
>;

export function createArrangeApi(ctx: SimContext): ArrangeApi {
  const store = ctx.store;
  const repoOf = (owner: string, name: string) => findRepo(ctx, owner, name);
  const apiRequest = { ctx };
  return {
    createInstallation(account) {
      const id = nextId(store);
      store.installations.set(id, { id, account, accountId: userId(store, account) });
      return { id };
    },

    createRepository(input) {
      if (!store.installations.has(input.installationId)) {
        throw new Error(
          `simulator: installation ${input.installationId} does not exist; call createInstallation first`,
        );
      }
      if (store.repos.has(repoKey(input.owner, input.name))) {
        throw new Error(`simulator: repository ${input.owner}/${input.name} already exists`);
      }
      const defaultBranch = input.defaultBranch ?? "main";
      const repo: RepoState = {
        id: nextId(store),
        owner: input.owner,
        name: input.name,
        installationId: input.installationId,
        defaultBranch,
        private: input.private ?? false,
        createdAt: ctx
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        objects: new Map(),
        refs: new Map(),
        issues: new Map(),
        pulls: new Map(),
        comments: new Map(),
        labels: new Map(),
        statuses: [],
        checkRuns: new Map(),
        checkSuites: new Map(),
        permissions: new Map(),
        requiredChecks: new Map(),
        rulesets: new Map(),
        reviews: new Map(),
        reviewComments: new Map(),
        reactions: [],
        ciByBranch: new Map(),
        nextNumber: 1,
      };
      const flat = new Map(
        Object.entries(input.files).map(([path, content]) => [
          path,
          { mode: "100644", type: "blob" as const, sha: writeBlob(repo, Buffer.from(content)) },
        ]),
      );
      const person = {
        name: input.owner,
        email: `${input.owner}@users.noreply.github.com`,
        date: repo.createdAt,
      };
      const headSha = writeCommit(repo, {
        tree: writeFlatTree(repo, flat),
        parents: [],
        message: "Initial commit",
        author: person,
      });
      repo.refs.set(`heads/${defaultBranch}`, headSha);
      store.repos.set(repoKey(input.owner, input.name), repo);
      return { id: repo.id, owner: repo.owner, name: repo.name, defaultBranch, headSha };
    },

    setPermission(owner, name, login, permission) {
      repoOf(owner, name).permissions.set(login.toLowerCase(), permission);
    },

    createIssue(owner, name, input) {
      const repo = repoOf(owner, name);
      const issue = createIssueState(apiRequest, repo, input);
      emitIssueEvent(ctx, repo, issue, "opened", input.user);
      return renderIssue(ctx, repo, issue) as unknown as IssueRestObject;
    },

    addLabel(owner, name, issueNumber, label, actor) {
      const repo = repoOf(owner, name);
      const issue = repo.issues.get(issueNumber);
      if (!issue) throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      const state = ensureLabel(ctx, repo, label);
      if (!issue.labels.includes(state.name)) issue.labels.push(state.name);
      recordIssueEvent(ctx, issue, { event: "labeled", actor, label: state.name });
      emitIssueEvent(ctx, repo, issue, "labeled", actor, { label: renderLabel(ctx, repo, state) });
    },

    editIssue(owner, name, issueNumber, edit, actor) {
      const repo = repoOf(owner, name);
      const issue = repo.issues.get(issueNumber);
      if (!issue) throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      const changes: Record<string, { from: string }> = {};
      if (edit.title !== undefined) {
        changes.title = { from: issue.title };
        issue.title = edit.title;
      }
      if (edit.body !== undefined) {
        changes.body = { from: issue.body };
        issue.body = edit.body;
      }
      issue.updatedAt = ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      emitIssueEvent(ctx, repo, issue, "edited", actor, { changes });
    },

    addComment(owner, name, issueNumber, input) {
      const repo = repoOf(owner, name);
      if (!repo.issues.has(issueNumber))
        throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      const now = ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      const comment = {
        id: nextId(store),
        issueNumber,
        body: input.body,
        user: input.user,
        authorAssociation: input.authorAssociation ?? "NONE",
        createdAt: now,
        updatedAt: now,
      };
      repo.comments.set(comment.id, comment);
      emitCommentEvent(ctx, repo, comment, "created", input.user);
      return { id: comment.id };
    },

    pushCommit(owner, name, branch, files, message = "Update files") {
      const repo = repoOf(owner, name);
      const parent =
        repo.refs.get(`heads/${branch}`) ?? repo.refs.get(`heads/${repo.defaultBranch}`)!;
      const flat = commitTree(repo, parent);
      for (const [path, content] of Object.entries(files)) {
        if (content === null) flat.delete(path);
        else
          flat.set(path, {
            mode: "100644",
            type: "blob",
            sha: writeBlob(repo, Buffer.from(content)),
          });
      }
      const person = {
        name: owner,
        email: `${owner}@users.noreply.github.com`,
        date: ctx
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      };
      const sha = writeCommit(repo, {
        tree: writeFlatTree(repo, flat),
        parents: [parent],
        message,
        author: person,
      });
      moveRef({ ctx }, repo, `heads/${branch}`, sha, owner);
      return sha;
    },
  };
}
