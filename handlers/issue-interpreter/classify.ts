// Type and priority of an issue from its labels and text. Deterministic and explainable: every
// signal that fired is kept with its weight and where it was found, and the reasons name the ones
// that decided. The vocabularies (English and German) live in vocabulary.ts; this file weighs them.
// Module-level data is plain RegExp/arrays only.
import type { IssueType, Priority } from "../../contract/state";
import {
  ALL_PATTERNS,
  CONTEXT_HEADING,
  MINOR_PATTERNS,
  NEGATIONS,
  P0_PATTERNS,
  P1_PATTERNS,
  type SignalKind,
} from "./vocabulary";

/** Where a signal was found; the title weighs most, context sections of a template least. */
export type Region = "title" | "body" | "context section" | "code";

export interface Signal {
  type: IssueType;
  weight: number;
  /** What kind of evidence this is, for the reasons ("template section", "keyword", ...). */
  kind: SignalKind;
  /** The text that matched (or the label). */
  evidence: string;
  where?: Region;
}

export interface Classification {
  type: IssueType;
  priority: Priority;
  reasons: string[];
  signals: Signal[];
}

// When two types score the same, the more consequential one wins (a security report that also
// reads like a bug is handled as security).
const TIE_ORDER: IssueType[] = ["security", "bug", "feature", "docs", "chore", "question"];

const BASE_PRIORITY: Record<IssueType, Priority> = {
  security: "P1",
  bug: "P2",
  feature: "P3",
  docs: "P3",
  chore: "P3",
  question: "P3",
};

const PRIORITIES: Priority[] = ["P0", "P1", "P2", "P3"];
const PRIORITY_LABEL = /^(?:priority[:/ ]\s*)?(p[0-3])$/i;

function quote(match: string): string {
  const oneLine = match.replace(/\s+/g, " ").trim();
  return `"${oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine}"`;
}

const REGION_FACTOR: Record<Region, number> = {
  title: 2,
  body: 1,
  "context section": 0.5,
  code: 1,
};

/** Code spans and fenced blocks: `code` keeps them, `prose` has them blanked out. */
function splitCode(text: string): { prose: string; code: string } {
  const code: string[] = [];
  const prose = text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?(^\1\s*$|(?![\s\S]))/gm, (block) => {
      code.push(block);
      return "\n";
    })
    .replace(/^( {4}|\t).*$/gm, (line) => {
      code.push(line);
      return "";
    })
    .replace(/`[^`\n]+`/g, (span) => {
      code.push(span);
      return " ";
    });
  return { prose, code: code.join("\n") };
}

function withoutNegations(text: string): string {
  return NEGATIONS.reduce((t, re) => t.replace(re, (m) => " ".repeat(m.length)), text);
}

/** The prose of a body split by template headings into the report and its context sections. */
function bodyRegions(prose: string): { body: string; context: string } {
  const body: string[] = [];
  const context: string[] = [];
  let target = body;
  for (const line of prose.split("\n")) {
    if (/^\s*(#{1,6}\s|\*\*[^*]+\*\*\s*$)/.test(line)) {
      target = CONTEXT_HEADING.test(line) ? context : body;
    }
    target.push(line);
  }
  return { body: body.join("\n"), context: context.join("\n") };
}

/**
 * All text signals, each pattern counted once, where it weighs most: keywords in the title weigh
 * double, in a template's context sections (environment, alternatives, logs) half. Code (inline
 * and fenced) is no prose: only stack traces and error output are looked for there, so a quoted
 * `Content-Security-Policy` header is not a security report. Negated defect wording ("nothing is
 * broken", "kein Fehler") is no evidence.
 */
export function textSignals(title: string, body: string): Signal[] {
  const signals: Signal[] = [];
  const titleText = withoutNegations(splitCode(title).prose);
  const { prose, code } = splitCode(body);
  const regions = bodyRegions(withoutNegations(prose));
  for (const pattern of ALL_PATTERNS) {
    // Where this pattern may match, most weighty first; the first region that matches counts.
    const candidates: Array<[Region, string]> = pattern.titleOnly
      ? [["title", title]]
      : pattern.codeOnly
        ? [["code", code]]
        : pattern.raw
          ? [
              ["title", title],
              ["body", body],
            ]
          : [
              ["title", titleText],
              ["body", regions.body],
              ["context section", regions.context],
            ];
    // One title prefix per type: "[Feature]:" matching two spellings is one piece of evidence.
    const repeated = (s: Signal) => s.kind === "title prefix" && s.type === pattern.type;
    if (pattern.kind === "title prefix" && signals.some(repeated)) continue;
    for (const [where, text] of candidates) {
      const m = pattern.re.exec(text);
      if (!m) continue;
      // Keywords weigh by region; structural signals (prefixes, sections, traces, question
      // forms) carry their own weight, halved only in context sections.
      const factor =
        pattern.kind === "keyword" && !pattern.titleOnly
          ? REGION_FACTOR[where]
          : where === "context section"
            ? 0.5
            : 1;
      signals.push({
        type: pattern.type,
        weight: pattern.weight * factor,
        kind: pattern.kind,
        evidence: quote(m[0]),
        where,
      });
      break;
    }
  }
  return signals;
}

export interface ClassifyInput {
  title: string;
  body: string;
  /** Label names on the issue, oldest application first when known. */
  labels: string[];
  /** Label name (lower case) -> type. */
  labelMapping: Record<string, IssueType>;
}

function typeFromLabels(input: ClassifyInput): { type: IssueType; label: string } | null {
  // Latest applied wins: a human re-labelling `type:feature` after AFU-9 said `type:bug` overrides.
  for (const label of [...input.labels].reverse()) {
    const lower = label.toLowerCase();
    const own = /^type:\s*(\w+)$/.exec(lower);
    if (own && (Object.keys(BASE_PRIORITY) as string[]).includes(own[1])) {
      return { type: own[1] as IssueType, label };
    }
    const mapped = input.labelMapping[lower];
    if (mapped) return { type: mapped, label };
  }
  return null;
}

function priorityFromLabels(labels: string[]): { priority: Priority; label: string } | null {
  for (const label of [...labels].reverse()) {
    const m = PRIORITY_LABEL.exec(label.trim());
    if (m) return { priority: m[1].toUpperCase() as Priority, label };
  }
  return null;
}

function firstMatch(patterns: RegExp[], text: string): string | null {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return null;
}

function describeSignals(signals: Signal[]): string {
  return signals
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 4)
    .map((s) => `${s.kind} ${s.evidence}${s.where ? ` in ${s.where}` : ""} (+${s.weight})`)
    .join(", ");
}

export function decidePriority(
  type: IssueType,
  title: string,
  body: string,
  labels: string[],
): { priority: Priority; reason: string } {
  const labelled = priorityFromLabels(labels);
  if (labelled) {
    return {
      priority: labelled.priority,
      reason: `priority ${labelled.priority} from label "${labelled.label}"`,
    };
  }
  // Severity words count in prose only (a quoted "Security" header or a negated "no crash" says
  // nothing about severity); crash wording also counts in pasted output, where crashes show.
  const { prose, code } = splitCode(body);
  const text = `${withoutNegations(splitCode(title).prose)}\n${withoutNegations(prose)}`;
  const base = BASE_PRIORITY[type];
  // Severity words only raise defects and security reports; a feature request that mentions
  // "production" is still a feature request.
  if (type === "bug" || type === "security") {
    const p0 = firstMatch(P0_PATTERNS, text);
    if (p0) return { priority: "P0", reason: `priority P0 from severity words ${quote(p0)}` };
    const p1 = firstMatch(P1_PATTERNS, text) ?? firstMatch(P1_PATTERNS.slice(0, 1), code);
    if (p1) return { priority: "P1", reason: `priority P1 from severity words ${quote(p1)}` };
  }
  const minor = firstMatch(MINOR_PATTERNS, text);
  if (minor && base !== "P3") {
    const lowered = PRIORITIES[PRIORITIES.indexOf(base) + 1];
    return {
      priority: lowered,
      reason: `priority ${lowered}: default for ${type} lowered by ${quote(minor)}`,
    };
  }
  return { priority: base, reason: `priority ${base}: default for ${type}, no severity words` };
}

/** Type and priority with the reasons that decided them. */
export function classifyIssue(input: ClassifyInput): Classification {
  const signals = textSignals(input.title, input.body);
  const byLabel = typeFromLabels(input);
  let type: IssueType;
  let typeReason: string;
  if (byLabel) {
    type = byLabel.type;
    typeReason = `type ${type} from label "${byLabel.label}"`;
  } else {
    const scores = new Map<IssueType, number>();
    for (const s of signals) scores.set(s.type, (scores.get(s.type) ?? 0) + s.weight);
    const ranked = [...TIE_ORDER].sort(
      (a, b) =>
        (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || TIE_ORDER.indexOf(a) - TIE_ORDER.indexOf(b),
    );
    const best = ranked[0];
    if ((scores.get(best) ?? 0) === 0) {
      // Nothing matched (a question-mark title would have: it is a question form). Defect, docs,
      // chore and security reports nearly always carry their wording; an issue with none most
      // often asks for something, and feature is the weakest type that still asks for work.
      type = "feature";
      typeReason =
        "type feature by default: no label, template section, stack trace, keyword or question form matched";
    } else {
      type = best;
      const runnerUp = ranked[1];
      const against = scores.get(runnerUp) ? `; next ${runnerUp} ${scores.get(runnerUp)}` : "";
      typeReason = `type ${type} (score ${scores.get(best)}${against}) from ${describeSignals(
        signals.filter((s) => s.type === best),
      )}`;
    }
  }
  const { priority, reason } = decidePriority(type, input.title, input.body, input.labels);
  return { type, priority, reasons: [typeReason, reason], signals };
}
