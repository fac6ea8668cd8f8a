// Scripted CI: every new commit pushed to a non-default branch gets the programmed check runs (the
// branch's own program, else the repository's), queued at once and completed after the delay,
// then its workflow run completes (check_run completed per check, check_suite completed,
// workflow_run completed). A check with a content rule judges the pushed tree: it fails while the
// file still contains the marker (with check output, an annotation at the marker's line and a
// GitHub Actions job log) and passes once a commit removed it, so only a real fix turns it green.
import type { SimContext } from "./context";
import { emitWorkflowRunEvent } from "./payloads";
import { writeCheckRun, type CheckRunInput } from "./routes/checks";
import { commitTree, getObject } from "./state/git-objects";
import type { CheckRunState, CiContentRule, CiProgram, RepoState } from "./state/store";

export const CI_APP_SENDER = "github-actions[bot]";

function fileAt(repo: RepoState, commitSha: string, path: string): string | null {
  const entry = commitTree(repo, commitSha).get(path);
  const blob = entry ? getObject(repo, entry.sha, "blob") : undefined;
  return blob ? blob.content.toString("utf8") : null;
}

interface Verdict {
  conclusion: "success" | "failure";
  output: NonNullable<CheckRunInput["output"]>;
  log?: string;
}

function judge(repo: RepoState, sha: string, name: string, program: CiProgram): Verdict {
  const rule: CiContentRule | undefined = program.rules?.find((r) => r.check === name);
  if (!rule) {
    return {
      conclusion: program.outcome,
      output: {
        title: `${name}: ${program.outcome}`,
        summary: `Scripted CI reported ${program.outcome}.`,
      },
    };
  }
  const content = fileAt(repo, sha, rule.path);
  const index = content === null ? -1 : content.indexOf(rule.failWhileContains);
  if (index === -1) {
    return {
      conclusion: "success",
      output: { title: `${name}: success`, summary: `${rule.path} passes the ${name} check.` },
      log: `##[group]Run ${name}\n${name}: ok\n##[endgroup]\n`,
    };
  }
  const line = content!.slice(0, index).split("\n").length;
  const where = `${rule.path}:${line}`;
  return {
    conclusion: "failure",
    output: {
      title: `${name}: 1 error`,
      summary: `${name} failed at ${where}.`,
      text: `${where}: ${rule.message}`,
      annotations: [
        {
          path: rule.path,
          start_line: line,
          end_line: line,
          annotation_level: "failure",
          message: rule.message,
          title: `${name} failed`,
        },
      ],
    },
    log: [
      `##[group]Run ${name}`,
      `> ${name}`,
      ...(rule.logLines ?? []),
      `##[error]${where}: ${rule.message}`,
      "##[endgroup]",
      "##[error]Process completed with exit code 1.",
      "",
    ].join("\n"),
  };
}

export function createCiRunner(ctx: () => SimContext) {
  const timers = new Set<NodeJS.Timeout>();
  return {
    onPush(repo: RepoState, ref: string, after: string): void {
      if (!ref.startsWith("heads/") || ref === `heads/${repo.defaultBranch}`) return;
      const program = repo.ciByBranch.get(ref.slice("heads/".length)) ?? repo.ci;
      if (!program) return;
      const runs: CheckRunState[] = program.checks.map((name) =>
        writeCheckRun(ctx(), repo, after, { name, status: "in_progress" }, CI_APP_SENDER),
      );
      const startedAt = ctx().now().toISOString();
      const timer = setTimeout(() => {
        timers.delete(timer);
        let failed = false;
        for (const run of runs) {
          const verdict = judge(repo, after, run.name, program);
          failed ||= verdict.conclusion === "failure";
          if (verdict.log !== undefined) (repo.jobLogs ??= new Map()).set(run.id, verdict.log);
          writeCheckRun(
            ctx(),
            repo,
            after,
            { conclusion: verdict.conclusion, output: verdict.output },
            CI_APP_SENDER,
            run,
          );
        }
        emitWorkflowRunEvent(
          ctx(),
          repo,
          {
            id: runs[0]?.suiteId ?? 1,
            name: "CI",
            headSha: after,
            conclusion: failed ? "failure" : "success",
            startedAt,
          },
          CI_APP_SENDER,
        );
      }, program.delayMs);
      timers.add(timer);
    },
    stop(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
