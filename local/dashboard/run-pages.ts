// The run list (newest first) and a run's page: its path through the state machine, the states
// with durations, retries and errors, and the GitHub writes it made.
import type { RunRecord } from "../factory/run-records";
import type { ViewPull } from "../github-simulator";
import { clockTime, currentState, errorMessage, outcomeOf, runDurationMs, seconds } from "./format";
import { html, type Markup } from "./html";
import {
  renderMiniGraph,
  renderStateGraph,
  type GraphLayout,
  type PathHighlight,
} from "./state-graph";

/** Where a run's issue and PR are shown: the dashboard's repository view or github.com. */
export interface RunLinks {
  /** Undefined: nowhere to link (a restored run's sandbox repository is gone). */
  issue(run: RunRecord): string | undefined;
  pull(run: RunRecord, number: number): string | undefined;
  /** The run's PR number (its record, or the sandbox's branch afu9/issue-<n>). */
  pullNumber(run: RunRecord): number | undefined;
}

/** A link, or the plain text when there is nowhere to go. */
function link(href: string | undefined, text: string, className = ""): Markup {
  return href === undefined
    ? html`<span class="${className}">${text}</span>`
    : html`<a class="${className}" href="${href}">${text}</a>`;
}

export function pathOf(run: RunRecord): PathHighlight {
  return {
    visited: run.visits.map((v) => v.name),
    current: currentState(run),
    failedAt:
      run.status === "FAILED" || run.status === "TIMED_OUT" ? run.visits.at(-1)?.name : undefined,
  };
}

export function runHref(run: RunRecord): string {
  return `/runs/${encodeURIComponent(run.name)}`;
}

function outcomeBadge(run: RunRecord): Markup {
  const outcome = outcomeOf(run);
  return html`<span class="badge ${outcome.tone}" data-outcome="${outcome.text}"
    >${outcome.text}</span
  >`;
}

export function runRows(
  runs: RunRecord[],
  layout: GraphLayout,
  links: RunLinks,
  now: number,
): Markup {
  if (runs.length === 0) {
    return html`<p class="empty">
      No runs yet. File an issue labelled <code>afu9</code> (in the sandbox: a button above) and its
      run appears here.
    </p>`;
  }
  return html`<table class="runs">
    <thead>
      <tr>
        <th>Started</th>
        <th>Issue</th>
        <th>Outcome</th>
        <th>Duration</th>
        <th>Path</th>
        <th>PR</th>
      </tr>
    </thead>
    <tbody>
      ${runs.map((run) => {
        const pr = links.pullNumber(run);
        return html`<tr class="run" data-run="${run.name}" data-issue="${run.issue.number}">
          <td>
            <a href="${runHref(run)}">${clockTime(run.startedAt)}</a
            >${run.restored ? html` <span class="tag" title="from the data directory">restored</span>` : ""}
          </td>
          <td>
            ${link(
              links.issue(run),
              `${run.repository.owner}/${run.repository.name}#${run.issue.number}`,
            )}
            ${run.issue.title}
          </td>
          <td>${outcomeBadge(run)}</td>
          <td class="num">${seconds(runDurationMs(run, now))}</td>
          <td>
            <a href="${runHref(run)}" aria-label="run page"
              >${renderMiniGraph(layout, pathOf(run))}</a
            >
          </td>
          <td>${pr ? link(links.pull(run, pr), `#${pr}`) : ""}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function visitRows(run: RunRecord): Markup {
  return html`<table class="visits">
    <thead>
      <tr>
        <th>#</th>
        <th>State</th>
        <th>Type</th>
        <th>Entered</th>
        <th>Duration</th>
        <th>Retries</th>
        <th>Errors</th>
      </tr>
    </thead>
    <tbody>
      ${run.visits.map(
        (visit, i) =>
          html`<tr
            class="${visit.errors.length ? "has-error" : ""}${i === run.visits.length - 1 && run.status === "RUNNING" ? " current" : ""}"
            data-state="${visit.name}"
          >
            <td class="num">${i + 1}</td>
            <td>${visit.name}</td>
            <td>${visit.type}</td>
            <td class="num">+${seconds(visit.enteredAtMs)}</td>
            <td class="num">
              ${visit.durationMs === undefined ? (run.status === "RUNNING" && i === run.visits.length - 1 ? "running" : "") : seconds(visit.durationMs)}
            </td>
            <td class="num">${visit.retries || ""}</td>
            <td>
              ${visit.errors.map((e) => html`<div class="error"><b>${e.Error}</b> ${errorMessage(e)}${visit.caught && e === visit.errors.at(-1) ? " (caught)" : ""}</div>`)}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function writeRows(run: RunRecord): Markup {
  if (run.writes.length === 0)
    return html`<p class="empty">No GitHub writes${run.status === "RUNNING" ? " yet" : ""}.</p>`;
  const start = Date.parse(run.startedAt);
  return html`<table class="writes">
    <thead>
      <tr>
        <th>At</th>
        <th>Request</th>
        <th>Status</th>
        <th>What</th>
      </tr>
    </thead>
    <tbody>
      ${run.writes.map(
        (w) =>
          html`<tr class="${w.status >= 400 || w.status === 0 ? "has-error" : ""}">
            <td class="num">+${seconds(w.at - start)}</td>
            <td><code>${w.method} ${w.path}</code></td>
            <td class="num">${w.status || "none"}</td>
            <td><pre class="detail">${w.detail}</pre></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function checksOf(pull: ViewPull): Markup {
  if (pull.checks.length === 0 && pull.statuses.length === 0)
    return html`<p class="empty">No checks reported.</p>`;
  return html`<ul class="checks">
    ${pull.checks.map(
      (c) =>
        html`<li class="check ${c.conclusion ?? c.status}" data-check="${c.name}">
          <b>${c.name}</b>
          ${c.status === "completed" ? c.conclusion : c.status}${c.summary ? html` <span class="muted">${c.summary}</span>` : ""}
        </li>`,
    )}${pull.statuses.map(
      (s) =>
        html`<li class="check ${s.state}" data-check="${s.context}">
          <b>${s.context}</b>
          ${s.state}${s.description ? html` <span class="muted">${s.description}</span>` : ""}
        </li>`,
    )}
  </ul>`;
}

export interface RunPageSandbox {
  pull?: ViewPull;
  /** Comments on the run's issue and PR, oldest first. */
  comments: Array<{ where: string; user: string; body: string; createdAt: string }>;
}

export function runPage(
  run: RunRecord,
  layout: GraphLayout,
  links: RunLinks,
  now: number,
  sandbox?: RunPageSandbox,
): Markup {
  const pr = links.pullNumber(run);
  return html`<section class="run-head">
      <h1>
        ${run.repository.owner}/${run.repository.name}#${run.issue.number}: ${run.issue.title}
      </h1>
      <p>
        ${outcomeBadge(run)} <span class="muted">run</span> <code>${run.name}</code> ·
        ${run.trigger} · started ${clockTime(run.startedAt)} ·
        ${seconds(runDurationMs(run, now))}${run.restored ? " · restored from the data directory" : ""}
      </p>
      <p>
        ${link(links.issue(run), `Issue #${run.issue.number}`, "issue-link")}${
          pr ? html` · ${link(links.pull(run, pr), `Pull request #${pr}`, "pr-link")}` : ""
        }
      </p>
      ${run.error ? html`<div class="error-box"><b>${run.error.Error}</b> ${errorMessage(run.error)}</div>` : ""}
    </section>
    <div class="run-body">
      <section class="graph">
        <h2>Path through the state machine</h2>
        ${renderStateGraph(layout, pathOf(run))}
      </section>
      <section class="details">
        <h2>States</h2>
        ${visitRows(run)}
        ${
          sandbox?.pull
            ? html`<h2>
                  Checks on pull request #${sandbox.pull.number}
                  <span class="badge ${sandbox.pull.merged ? "good" : "plain"}"
                    >${sandbox.pull.mergeState}</span
                  >
                </h2>
                ${checksOf(sandbox.pull)}`
            : ""
        }
        ${
          sandbox && sandbox.comments.length
            ? html`<h2>Comments</h2>
                ${sandbox.comments.map(
                  (c) =>
                    html`<div class="comment">
                      <div class="comment-head">
                        <b>${c.user}</b> on ${c.where} · ${clockTime(c.createdAt)}
                      </div>
                      <pre class="body">${c.body}</pre>
                    </div>`,
                )}`
            : ""
        }
        <h2>GitHub writes</h2>
        ${writeRows(run)}
      </section>
    </div>`;
}

export { checksOf };
