// What the local factory prints. Human mode: one line per delivery and per state entered, with the
// time since the execution started, the duration of Task and Wait states, retries, caught errors
// and a closing line with the outcome. JSON mode (--json): one JSON object per line for the same
// events and for every handler log entry, for piping into jq or a log collector.
import { runOutcome } from "./run-outcome";
import type { Logger } from "../../handlers/shared/types";
import type { ProgressUpdate } from "../state-machine-runner";
import type { LocalExecution } from "./local-step-functions";

export type OutputMode = "human" | "json" | "silent";

export interface FactoryOutputOptions {
  mode: OutputMode;
  /** Human mode: also print handlers' info/debug logs (warn and error are always printed). */
  verbose?: boolean;
  /** Where lines go; default process.stdout. */
  write?: (line: string) => void;
  /** ANSI colours (human mode); default: stdout is a TTY and NO_COLOR is unset. */
  color?: boolean;
}

export interface FactoryOutput {
  /** Text for people (human mode), or its first line plus `fields` as one JSON line. */
  say(text: string, fields?: Record<string, unknown>): void;
  /** A structured logger whose entries carry `bindings` (e.g. the execution name). */
  logger(bindings: Record<string, unknown>): Logger;
  executionStarted(execution: LocalExecution): void;
  progress(execution: LocalExecution, update: ProgressUpdate): void;
  executionFinished(execution: LocalExecution): void;
}

type Level = "debug" | "info" | "warn" | "error";

const ANSI = {
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  off: "\x1b[0m",
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** `#12` for an execution of issue 12 (names are issue-<n>-<delivery>). */
export function executionTag(execution: Pick<LocalExecution, "input" | "name">): string {
  const issue = execution.input?.issue?.number;
  return typeof issue === "number" ? `#${issue}` : execution.name.slice(0, 12);
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
}

/** A task error's Cause is Lambda's {errorType, errorMessage, trace} JSON: show the message. */
function errorMessage(cause: string): string {
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") message = parsed.errorMessage;
  } catch {
    // Not JSON: a Fail state's Cause or an interpreter error, shown as it is.
  }
  return message.length > 240 ? `${message.slice(0, 240)}...` : message;
}

/**
 * The GitHub client's notices: Octokit logs every failed request, and most 4xx answers are
 * expected probes (a branch that does not exist yet, no branch protection). Those go to debug;
 * 5xx answers, retries and rate limits stay warnings.
 */
export function gitHubClientLog(output: FactoryOutput): { warn(message: string): void } {
  const logger = output.logger({ service: "github" });
  return {
    warn(message) {
      const answered = /^[A-Z]+ \S+ - (\d{3}) with id /.exec(message);
      if (answered && Number(answered[1]) < 500) logger.debug(message);
      else logger.warn(message);
    },
  };
}

export function createFactoryOutput(options: FactoryOutputOptions): FactoryOutput {
  const origins = new WeakMap<LocalExecution, number>();
  // Offsets printed per execution never go backwards, whatever order the events arrive in.
  const lastOffsets = new WeakMap<LocalExecution, number>();
  // A caught Task's duration is printed with the catch; its exit line would come after it.
  const caught = new WeakMap<LocalExecution, object>();
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const useColor =
    options.color ?? (Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined);
  const paint = (color: keyof typeof ANSI, text: string) =>
    useColor ? `${ANSI[color]}${text}${ANSI.off}` : text;
  const clock = () => new Date().toISOString().slice(11, 23);
  const json = (record: Record<string, unknown>) =>
    write(JSON.stringify({ time: new Date().toISOString(), ...record }));

  function log(level: Level, message: string, fields: Record<string, unknown>) {
    if (options.mode === "silent" || (level === "debug" && !options.verbose)) return;
    if (options.mode === "json") {
      json({ level: level.toUpperCase(), message, ...fields });
      return;
    }
    // The webhook's one line per delivery, compacted: event, answer, execution. Deliveries it
    // ignores (the App's own labels and comments, CI and PR events) only with --verbose.
    if (message.startsWith("delivery ")) {
      if (fields.outcome === "ignored" && !options.verbose) return;
      const event = [fields.event, fields.action].filter(Boolean).join(".");
      const detail = fields.executionName ?? fields.reason ?? fields.error ?? "";
      const line = `${clock()}  webhook  ${event || "?"} -> ${fields.status} ${fields.outcome} ${detail}`;
      write(level === "info" ? line : paint(level === "error" ? "red" : "yellow", line));
      return;
    }
    if ((level === "debug" || level === "info") && !options.verbose) return;
    const { execution, ...rest } = fields;
    // Execution names are issue-<n>-<delivery>: the same `#n` tag as the progress lines.
    const issue = typeof execution === "string" ? /^issue-(\d+)-/.exec(execution) : null;
    const tag = issue ? `#${issue[1]}  ` : typeof execution === "string" ? `${execution}  ` : "";
    const line = `${clock()}  ${tag}${level}: ${message} ${formatFields(rest)}`.trimEnd();
    write(level === "error" ? paint("red", line) : level === "warn" ? paint("yellow", line) : line);
  }

  return {
    say(text, fields = {}) {
      if (options.mode === "silent") return;
      // JSON: the first line as the message; the structured fields carry the rest.
      const headline = text.split("\n").find((line) => line.trim() !== "") ?? "";
      if (options.mode === "json") json({ level: "INFO", message: headline.trim(), ...fields });
      else write(text);
    },
    logger(bindings) {
      const at =
        (level: Level) =>
        (message: string, extra?: Record<string, unknown>): void =>
          log(level, message, { ...bindings, ...extra });
      return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
    },
    executionStarted(execution) {
      const { input } = execution;
      if (options.mode === "json") {
        json({
          level: "INFO",
          message: "execution started",
          execution: execution.name,
          repository: `${input.repository?.owner}/${input.repository?.name}`,
          issue: input.issue?.number,
          delivery: input.delivery,
        });
        return;
      }
      if (options.mode === "silent") return;
      const delivery = `${input.delivery?.event}.${input.delivery?.action}`;
      write(
        `${clock()}  ${executionTag(execution)}  started ${execution.name}: ` +
          `${input.repository?.owner}/${input.repository?.name}#${input.issue?.number} ` +
          `"${input.issue?.title}" (${delivery} by ${input.sender?.login})`,
      );
    },
    progress(execution, update) {
      const { visit } = update;
      if (options.mode === "json") {
        json({
          level: update.kind === "failed" ? "WARN" : "INFO",
          message: `state ${update.kind}`,
          execution: execution.name,
          state: visit.name,
          type: visit.type,
          atMs: visit.enteredAtMs,
          durationMs: visit.durationMs,
          retries: visit.retries,
          ...(update.kind === "failed" ? { error: update.error.Error } : {}),
        });
        return;
      }
      if (options.mode === "silent") return;
      // Offsets count from the execution's start (fixed once), as the visits do.
      if (!origins.has(execution)) origins.set(execution, Date.now() - visit.enteredAtMs);
      const origin = origins.get(execution)!;
      const offset = Math.max(lastOffsets.get(execution) ?? 0, Date.now() - origin);
      lastOffsets.set(execution, offset);
      const prefix = `${clock()}  ${executionTag(execution)}  +${seconds(offset)}`;
      switch (update.kind) {
        case "entered":
          write(`${prefix}  ${visit.name} ${paint("dim", `(${visit.type})`)}`);
          break;
        case "exited":
          if (caught.get(execution) === visit) break;
          if (visit.type === "Task" || visit.type === "Wait") {
            write(paint("dim", `${prefix}  ${visit.name} done in ${visit.durationMs} ms`));
          }
          break;
        case "retried":
          write(paint("yellow", `${prefix}  ${visit.name} retry ${visit.retries}`));
          break;
        case "failed":
          write(
            paint(
              "yellow",
              `${prefix}  ${visit.name} error ${update.error.Error}: ${errorMessage(update.error.Cause)}`,
            ),
          );
          break;
        case "caught":
          caught.set(execution, visit);
          write(
            paint(
              "yellow",
              `${prefix}  ${visit.name} error caught (Catch) after ${Math.max(0, offset - visit.enteredAtMs)} ms`,
            ),
          );
          break;
      }
    },
    executionFinished(execution) {
      const report = execution.report;
      if (!report) return;
      const last = report.visits[report.visits.length - 1]?.name ?? "(no state)";
      const transitions = Math.max(0, report.visits.length - 1);
      const outcome = runOutcome(report, last);
      if (options.mode === "json") {
        json({
          level: outcome.good ? "INFO" : "WARN",
          message: "execution finished",
          execution: execution.name,
          status: report.status,
          finalState: last,
          outcome: outcome.words,
          ...(outcome.pullRequest ? { pullRequest: outcome.pullRequest } : {}),
          states: report.visits.length,
          transitions,
          durationMs: report.durationMs,
          error: report.error,
        });
        return;
      }
      if (options.mode === "silent") return;
      const line =
        `${clock()}  ${executionTag(execution)}  ${outcome.words}` +
        (outcome.pullRequest ? ` ${outcome.pullRequest}` : "") +
        ` (execution ${report.status}, end state ${last}): ` +
        `${report.visits.length} states, ${transitions} transitions, ${seconds(report.durationMs)}` +
        (report.error ? ` (${report.error.Error})` : "");
      write(outcome.good ? paint("green", line) : paint("red", line));
    },
  };
}
