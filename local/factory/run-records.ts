// The local factory's record of each run, for the dashboard: the issue, the states visited so far
// (live while it runs), the outcome, and the GitHub writes it made. In memory unless a data
// directory is given: then every finished run is written to <dir>/runs/<name>.json (write to a
// temporary file, then rename, so a crash never leaves half a record) and read back on start.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaughtErrorInfo, StateVisit } from "../state-machine-runner";
import type { GitHubWrite } from "./github-write-log";
import type { LocalExecution } from "./local-step-functions";

export interface RunRecord {
  name: string;
  repository: { owner: string; name: string };
  issue: { number: number; title: string; user: string };
  trigger: string;
  status: LocalExecution["status"];
  startedAt: string;
  stoppedAt?: string;
  durationMs?: number;
  visits: StateVisit[];
  error?: CaughtErrorInfo;
  /** The pull request the run opened (from its CreatePullRequest result or its writes). */
  pr?: { number: number; url: string };
  writes: GitHubWrite[];
  /** Read back from the data directory (a previous `npm start`). */
  restored?: boolean;
}

export interface RunRecords {
  /** Newest first. */
  list(): RunRecord[];
  get(name: string): RunRecord | undefined;
  started(execution: LocalExecution): void;
  entered(execution: LocalExecution, visit: StateVisit): void;
  wrote(executionName: string, write: GitHubWrite): void;
  finished(execution: LocalExecution): void;
  /** The data directory's runs folder, when runs are kept on disk. */
  readonly directory?: string;
}

const RECORD_FILE = /^[A-Za-z0-9._-]+\.json$/;

function prFromOutput(output: unknown): RunRecord["pr"] {
  const pr = (output as { pr?: { number?: unknown; url?: unknown } } | null)?.pr;
  return typeof pr?.number === "number" && pr.number > 0
    ? { number: pr.number, url: typeof pr.url === "string" ? pr.url : "" }
    : undefined;
}

function readRecords(directory: string): RunRecord[] {
  const records: RunRecord[] = [];
  for (const file of readdirSync(directory)) {
    if (!RECORD_FILE.test(file)) continue;
    try {
      const record = JSON.parse(readFileSync(join(directory, file), "utf8")) as RunRecord;
      if (typeof record.name === "string" && Array.isArray(record.visits)) {
        records.push({ ...record, restored: true });
      }
    } catch (error) {
      throw new Error(
        `run record ${join(directory, file)} is not readable JSON (${(error as Error).message}): ` +
          `delete the file or choose another --data-dir`,
        { cause: error },
      );
    }
  }
  return records;
}

export function createRunRecords(options: { dataDir?: string } = {}): RunRecords {
  const directory = options.dataDir ? join(options.dataDir, "runs") : undefined;
  const byName = new Map<string, RunRecord>();
  if (directory) {
    mkdirSync(directory, { recursive: true });
    for (const record of readRecords(directory)) byName.set(record.name, record);
  }
  const save = (record: RunRecord) => {
    if (!directory) return;
    const target = join(directory, `${record.name}.json`);
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ ...record, restored: undefined }, null, 2)}\n`);
    renameSync(temporary, target);
  };
  return {
    directory,
    list: () =>
      [...byName.values()].sort(
        (a, b) => b.startedAt.localeCompare(a.startedAt) || b.name.localeCompare(a.name),
      ),
    get: (name) => byName.get(name),
    started(execution) {
      const { input } = execution;
      byName.set(execution.name, {
        name: execution.name,
        repository: { owner: input.repository?.owner ?? "?", name: input.repository?.name ?? "?" },
        issue: {
          number: input.issue?.number ?? 0,
          title: input.issue?.title ?? "",
          user: input.issue?.user ?? "",
        },
        trigger: `${input.delivery?.event}.${input.delivery?.action} by ${input.sender?.login}`,
        status: "RUNNING",
        startedAt: execution.startDate.toISOString(),
        visits: [],
        writes: [],
      });
    },
    entered(execution, visit) {
      // The runner updates the visit object in place (duration, retries, errors).
      byName.get(execution.name)?.visits.push(visit);
    },
    wrote(executionName, write) {
      const record = byName.get(executionName);
      if (!record) return;
      record.writes.push(write);
      const opened = write.method === "POST" && /^\/repos\/[^/]+\/[^/]+\/pulls$/.test(write.path);
      if (opened && write.number !== undefined) record.pr = { number: write.number, url: "" };
    },
    finished(execution) {
      const record = byName.get(execution.name);
      const report = execution.report;
      if (!record || !report) return;
      record.status = report.status;
      record.stoppedAt = (execution.stopDate ?? new Date()).toISOString();
      record.durationMs = report.durationMs;
      record.visits = report.visits;
      record.error = report.error;
      record.pr = prFromOutput(report.output) ?? record.pr;
      save(record);
    },
  };
}
