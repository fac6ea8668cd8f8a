// The sandbox repository as GitHub would show it: the issue and pull request lists, the branch
// list, an issue with its labels and comments, a pull request with its commits, checks, merge
// state and diff. Each links to the runs of its issue.
import type { RunRecord } from "../factory/run-records";
import type {
  RepositoryView,
  ViewComment,
  ViewFile,
  ViewIssue,
  ViewPull,
} from "../github-simulator";
import { clockTime } from "./format";
import { html, raw, type Markup } from "./html";
import { checksOf, runHref } from "./run-pages";

function base(view: RepositoryView): string {
  return `/repos/${view.owner}/${view.name}`;
}

function labels(names: string[]): Markup {
  return html`${names.map((name) => html`<span class="label" data-label="${name}">${name}</span>`)}`;
}

function pullState(pull: ViewPull): Markup {
  const text = pull.merged
    ? "merged"
    : pull.state === "closed"
      ? "closed"
      : pull.draft
        ? "draft"
        : "open";
  return html`<span
    class="badge ${pull.merged ? "good" : pull.state === "open" ? "live" : "plain"}"
    data-pull-state="${text}"
    >${text}</span
  >`;
}

function checkSummary(pull: ViewPull): Markup {
  return html`${pull.checks.map((c) => html`<span class="check-dot ${c.conclusion ?? c.status}" title="${c.name}: ${c.conclusion ?? c.status}">${c.name}</span>`)}`;
}

/** The issue a factory PR belongs to: its branch afu9/issue-<n>. */
export function issueOfPull(pull: ViewPull): number | undefined {
  const match = /^afu9\/issue-(\d+)$/.exec(pull.head);
  return match ? Number(match[1]) : undefined;
}

export function pullOfIssue(view: RepositoryView, issue: number): ViewPull | undefined {
  return view.pulls.find((p) => p.head === `afu9/issue-${issue}`);
}

function runLinks(runs: RunRecord[]): Markup {
  return html`${runs.map((run, i) => html`${i ? ", " : ""}<a class="run-link" href="${runHref(run)}">${run.status === "RUNNING" ? "running" : (run.visits.at(-1)?.name ?? run.status)}</a>`)}`;
}

export function repositoryPage(
  view: RepositoryView,
  runsOf: (issue: number) => RunRecord[],
): Markup {
  const issues = view.issues.filter((i) => !i.isPull);
  const head = (branch: string) => view.pulls.find((p) => p.head === branch && p.state === "open");
  return html`<h1>${view.owner}/${view.name}</h1>
    <section>
      <h2>Issues (${issues.length})</h2>
      ${
        issues.length === 0
          ? html`<p class="empty">No issues yet.</p>`
          : html`<table class="issues">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Title</th>
                  <th>State</th>
                  <th>Labels</th>
                  <th>Comments</th>
                  <th>Author</th>
                  <th>Runs</th>
                </tr>
              </thead>
              <tbody>
                ${issues.map(
                  (issue) =>
                    html`<tr data-issue="${issue.number}">
                      <td class="num">${issue.number}</td>
                      <td><a href="${base(view)}/issues/${issue.number}">${issue.title}</a></td>
                      <td>${issue.state}</td>
                      <td>${labels(issue.labels)}</td>
                      <td class="num">${issue.comments.length}</td>
                      <td>${issue.user}</td>
                      <td>${runLinks(runsOf(issue.number))}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section>
      <h2>Pull requests (${view.pulls.length})</h2>
      ${
        view.pulls.length === 0
          ? html`<p class="empty">No pull requests yet.</p>`
          : html`<table class="pulls">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Title</th>
                  <th>State</th>
                  <th>Branches</th>
                  <th>Checks</th>
                  <th>Merge state</th>
                </tr>
              </thead>
              <tbody>
                ${view.pulls.map(
                  (pull) =>
                    html`<tr data-pull="${pull.number}">
                      <td class="num">${pull.number}</td>
                      <td><a href="${base(view)}/pulls/${pull.number}">${pull.title}</a></td>
                      <td>${pullState(pull)}</td>
                      <td><code>${pull.head}</code> → <code>${pull.base}</code></td>
                      <td>${checkSummary(pull)}</td>
                      <td>${pull.mergeState}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section>
      <h2>Branches (${view.branches.length})</h2>
      <table class="branches">
        <thead>
          <tr>
            <th>Branch</th>
            <th>Head</th>
            <th>Pull request</th>
          </tr>
        </thead>
        <tbody>
          ${view.branches.map((branch) => {
            const pull = head(branch.name);
            return html`<tr data-branch="${branch.name}">
              <td>
                <code>${branch.name}</code
                >${branch.name === view.defaultBranch ? html` <span class="tag">default</span>` : ""}
              </td>
              <td><code>${branch.sha.slice(0, 7)}</code></td>
              <td>
                ${pull ? html`<a href="${base(view)}/pulls/${pull.number}">#${pull.number}</a>` : ""}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>`;
}

function comments(list: ViewComment[]): Markup {
  if (list.length === 0) return html`<p class="empty">No comments.</p>`;
  return html`${list.map(
    (c) =>
      html`<div class="comment" data-comment="${c.id}">
        <div class="comment-head"><b>${c.user}</b> · ${clockTime(c.createdAt)}</div>
        <pre class="body">${c.body}</pre>
      </div>`,
  )}`;
}

export function issuePage(view: RepositoryView, issue: ViewIssue, runs: RunRecord[]): Markup {
  const pull = pullOfIssue(view, issue.number);
  return html`<p class="crumbs"><a href="${base(view)}">${view.owner}/${view.name}</a> / issues</p>
    <h1>${issue.title} <span class="muted">#${issue.number}</span></h1>
    <p>
      <span class="badge ${issue.state === "open" ? "live" : "plain"}">${issue.state}</span>
      ${issue.user} opened ${clockTime(issue.createdAt)} · ${labels(issue.labels)}
    </p>
    <p>
      ${runs.length ? html`Runs: ${runLinks(runs)}` : html`<span class="muted">No runs for this issue.</span>`}${pull ? html` · <a class="pr-link" href="${base(view)}/pulls/${pull.number}">Pull request #${pull.number}</a>` : ""}
    </p>
    <pre class="body issue-body">${issue.body}</pre>
    <h2>Comments (${issue.comments.length})</h2>
    ${comments(issue.comments)}`;
}

function diffLines(patch: string): Markup {
  return html`${patch.split("\n").map((line) => {
    const kind = line.startsWith("@@")
      ? "hunk"
      : line.startsWith("+")
        ? "add"
        : line.startsWith("-")
          ? "del"
          : "ctx";
    return [html`<span class="line ${kind}">${line}</span>`, raw("\n")];
  })}`;
}

function fileDiff(file: ViewFile): Markup {
  return html`<div class="file" data-file="${file.filename}">
    <div class="file-head">
      <code>${file.filename}</code> <span class="muted">${file.status}</span>
      <span class="add">+${file.additions}</span> <span class="del">-${file.deletions}</span>
    </div>
    <pre class="diff">${diffLines(file.patch)}</pre>
  </div>`;
}

export function pullPage(view: RepositoryView, pull: ViewPull, runs: RunRecord[]): Markup {
  const issue = issueOfPull(pull);
  return html`<p class="crumbs">
      <a href="${base(view)}">${view.owner}/${view.name}</a> / pull requests
    </p>
    <h1>${pull.title} <span class="muted">#${pull.number}</span></h1>
    <p>
      ${pullState(pull)} ${pull.user} wants to merge <code>${pull.head}</code> into
      <code>${pull.base}</code> · merge state
      <b class="merge-state">${pull.mergeState}</b
      >${pull.mergedBy ? html` · merged by ${pull.mergedBy}` : ""}
    </p>
    <p>
      ${issue ? html`<a class="issue-link" href="${base(view)}/issues/${issue}">Issue #${issue}</a>` : ""}${runs.length ? html` · Runs: ${runLinks(runs)}` : ""}
    </p>
    <div class="pull-grid">
      <section>
        <h2>Checks</h2>
        ${checksOf(pull)}
      </section>
      <section>
        <h2>Commits (${pull.commits.length})</h2>
        <ul class="commits">
          ${pull.commits.map(
            (c) =>
              html`<li>
                <code>${c.sha.slice(0, 7)}</code> ${c.message.split("\n")[0]}
                <span class="muted">${c.author}</span>
              </li>`,
          )}
        </ul>
      </section>
    </div>
    <h2>Files changed (${pull.files.length})</h2>
    ${pull.files.map(fileDiff)}
    <h2>Description</h2>
    <pre class="body">${pull.body}</pre>
    <h2>Comments (${pull.comments.length})</h2>
    ${comments(pull.comments)}`;
}
