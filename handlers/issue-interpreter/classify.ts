// Type and priority of an issue from its labels and text. Deterministic and explainable: every
// signal that fired is kept with its weight, and the reasons name the ones that decided. English and
// German patterns (the seed's team writes German). Module-level data is plain RegExp/arrays only.
import type { IssueType, Priority } from "../shared/types";

export interface Signal {
  type: IssueType;
  weight: number;
  /** What kind of evidence this is, for the reasons ("template section", "keyword", ...). */
  kind: "label" | "title prefix" | "template section" | "stack trace" | "keyword" | "question form";
  /** The text that matched (or the label). */
  evidence: string;
}

export interface Classification {
  type: IssueType;
  priority: Priority;
  reasons: string[];
  signals: Signal[];
}

interface Pattern {
  type: IssueType;
  weight: number;
  kind: Signal["kind"];
  re: RegExp;
  /** Only matched against the title. */
  titleOnly?: boolean;
}

// Conventional title prefixes ("[Bug]:", "feat:", "Frage:") are what issue templates and commit-style
// titles put there on purpose: strong evidence.
type PatternSpec = Omit<Pattern, "weight" | "kind">;

const TITLE_PREFIXES: Pattern[] = (<PatternSpec[]>[
  { type: "bug", re: /^\s*[[(]?\s*(bug|fix|defect|fehler)\s*[\])]?\s*:/i },
  { type: "bug", re: /^\s*\[\s*(bug|fehler)\s*\]/i },
  {
    type: "feature",
    re: /^\s*[[(]?\s*(feat|feature|feature request|enhancement|rfe|proposal|rfc|idea|wunsch|funktionswunsch|vorschlag|idee)\s*[\])]?\s*:/i,
  },
  { type: "feature", re: /^\s*\[\s*(feature|feature request|enhancement|wunsch)\s*\]/i },
  { type: "docs", re: /^\s*[[(]?\s*(docs?|documentation|doku)\s*[\])]?\s*:/i },
  { type: "chore", re: /^\s*[[(]?\s*(chore|ci|build|refactor|deps)\s*[\])]?\s*:/i },
  { type: "question", re: /^\s*[[(]?\s*(question|q|frage|help)\s*[\])]?\s*:/i },
  { type: "security", re: /^\s*[[(]?\s*(security|sicherheit)\s*[\])]?\s*:/i },
]).map((p) => ({ ...p, weight: 6, kind: "title prefix" as const, titleOnly: true }));

// Section headings of the usual GitHub issue forms / templates (markdown heading or bold line).
const TEMPLATE_SECTIONS: Pattern[] = (<PatternSpec[]>[
  {
    type: "bug",
    re: /^\s*(#{1,6}\s*|\*\*)\s*(steps to reproduce|how can we reproduce it\??|to reproduce|reproduction steps|describe the bug|bug description|bug report|what happened\??|actual behaviou?r|expected behaviou?r|expected result|schritte zum reproduzieren|fehlerbeschreibung|erwartetes verhalten|tatsächliches verhalten)\b/im,
  },
  {
    type: "feature",
    re: /^\s*(#{1,6}\s*|\*\*)\s*(is your feature request related to a problem|describe the solution you'?d like|feature request|proposal|proposed solution|motivation|use case|funktionswunsch|gewünschte lösung|vorschlag)\b/im,
  },
]).map((p) => ({ ...p, weight: 4, kind: "template section" as const }));

// Error output: a stack trace or crash dump is the clearest sign of a defect report.
const STACK_TRACES: Pattern[] = [
  /^\s+at .+\(.+:\d+(:\d+)?\)\s*$/m, // JavaScript / Java "at fn (file:line:col)"
  /^\s+at [\w$.<>]+\([\w.]+\.java:\d+\)/m,
  /Traceback \(most recent call last\)/,
  /^panic: /m,
  /^goroutine \d+ \[/m,
  /thread '.+' panicked at/,
  /Exception in thread "/,
  /^\s*(Faulting application name|Exception code: 0x)/m,
  /\b(TypeError|ReferenceError|RangeError|KeyError|ValueError|NullPointerException|SyntaxError|AttributeError)\b[:[]/,
].map((re) => ({
  type: "bug" as const,
  weight: 4,
  kind: "stack trace" as const,
  re,
}));

const QUESTION_FORMS: Pattern[] = [
  {
    type: "question",
    weight: 4,
    kind: "question form",
    titleOnly: true,
    re: /^\s*(how (do|can|should|to)|what is|what's|why (does|is|do)|is there|is it (possible|safe)|can (i|we|you|one)|where (do|can|is)|which|wie (kann|lange|viel|funktioniert)|wo (kann|stelle|finde)|kann man|gibt es|ist es möglich|frage)\b/i,
  },
  {
    type: "question",
    weight: 2,
    kind: "question form",
    titleOnly: true,
    re: /\?\s*$/,
  },
  {
    type: "question",
    weight: 2,
    kind: "question form",
    re: /\b(any idea\??|thanks in advance|is (that|this) expected|do i need to|do i have to|should i|how do i|is it possible|ist es möglich|kann man|wie kann ich|wo kann man|hat jemand|reicht es|muss ich|soll(te)? ich|what do others use)\b/i,
  },
  {
    // A body that asks (a sentence ending in "?") without reporting an error.
    type: "question",
    weight: 1,
    kind: "question form",
    re: /[a-zäöüß)]\?(\s|$)/i,
  },
];

const KEYWORDS: Pattern[] = (<Array<Omit<Pattern, "kind">>>[
  // security
  {
    type: "security",
    weight: 5,
    re: /\b(vulnerab\w*|cve-\d{4}-\d+|ssrf|open redirect|xxe|denial of service|xss|cross-site scripting|csrf|sql injection|path traversal|remote code execution|rce|privilege escalation|exploit\w*|hijack\w*|sicherheitslücke|schwachstelle|security issue|security vulnerability)\b/i,
  },
  {
    type: "security",
    weight: 3,
    re: /\b(not (protected|authori[sz]ed|checked)|does(n'?t| not) check the (role|permission)s?|(access|privilege|permission) (control|check|bypass)|bypass\w*|promote my own|any (logged-in |regular )?user can|ohne (berechtigung|anmeldung)|in plain ?text|im klartext|password hashes|session token|leaks? (the )?(token|password|secret|credentials)|unauthenticated|arbitrary files?|javascript:)/i,
  },
  // bug
  {
    type: "bug",
    weight: 3,
    re: /\b(crash(es|ed|ing)?|stürzt\w*(\s+\S+){0,4}\s+ab|absturz|abstürz\w*|regression|exception|stack ?trace|segfault|segmentation fault|oom\w*|memory leak|race condition|data loss|datenverlust)\b/i,
  },
  {
    type: "bug",
    weight: 2,
    re: /\b(slow(er|ly)?|times? out|timed out|timing out|hangs?|freez(es|ing)|langsam|hängt|error|errors|fails?|failing|failed|broken(?! links?)|doesn'?t work|does not work|not working|does nothing|no longer|anymore|wrong|incorrect(ly)?|instead of|returns? (http )?[45]\d\d|duplicates?|twice|never (arrive|sent|appear)\w*|is (missing|gone)|hidden behind|misaligned|lost|fehler|funktioniert (nicht|nicht mehr)|geht nicht|falsch|kaputt|doppelt|leere? datei|nicht mehr|seit dem (letzten )?update|überschrieben|fragezeichen)\b/i,
  },
  {
    // Something that should happen does not: the defect wording of reports without an error text.
    type: "bug",
    weight: 2,
    re: /\b((is|are|was|were|get|gets|got) not (generated|shown|saved|deleted|sent|updated|displayed|applied|removed|created|found)|(don'?t|doesn'?t|do not|does not|didn'?t|did not) (match|show|save|load|appear|update|start|open|close|respond)|should (be|have been) (clamped|case-insensitive|\w+ed)|(wird|werden) .{0,30}nicht (gelöscht|gespeichert|angezeigt|erzeugt|übernommen|verschickt|gefunden)|zu (früh|spät)|ausgefallen|unsupported)/i,
  },
  { type: "bug", weight: 2, re: /(^|[\s(>])(404|500|502|503)\b/ },
  {
    type: "bug",
    weight: 2,
    re: /\b(after upgrading|since upgrading|since (the )?(update|upgrade)|since v?\d+\.\d+|worked in|it worked|used to work|lief alles|vorher ging)/i,
  },
  // feature
  {
    type: "feature",
    weight: 3,
    re: /\b(feature request|add support|support for|it would be (great|nice|good|useful)|would be (great|nice|helpful)|would like|we'?d like|i'?d like to (be able|have)|would you accept|allow (users|us|to)|option to|an? (flag|option|setting|endpoint|hook)s? (for|to|like)|es wäre (toll|schön|gut|praktisch)|wäre (toll|schön|praktisch)|desired behaviou?r|a (setting|config option|switch) (such as|like|for|to)|wäre (super|klasse|hilfreich)|any plans (for|to)|(is|are) (this|that|it|there) planned|ist (das|so etwas|sowas) geplant|would (remove|save|reduce|replace|help|simplify)|could replace|brauchen wir|wir brauchen|könntet ihr|bitte eine möglichkeit|möglichkeit (einbauen|geben|schaffen)|wunsch|einbauen|anbieten)\b/i,
  },
  {
    type: "feature",
    weight: 2,
    re: /\b(would make (it|this|that|\w+) (much |a lot )?(easier|faster|cleaner|clean|simpler|possible)|could be opt-in|opt-in|würde .{0,30}(erleichtern|vereinfachen))/i,
  },
  {
    type: "feature",
    weight: 2,
    titleOnly: true,
    re: /^\s*(add|support|allow|expose|provide|implement|introduce|enable (users|a|an)|export|filter|dunkles|unterstützung|neue?)\b/i,
  },
  // docs
  {
    type: "docs",
    weight: 3,
    re: /\b(readme|contributing(\.md)?|changelog|release notes|upgrade guide|migration guide|openapi|api[- ](docs|reference|beschreibung)|[\w-]+\.md|badge|docs|documentation|typo|tippfehler|doku|dokumentation|anleitung|hilfeseite|faq|(the|this|in the) guide|broken links?|code example|getting started)\b/i,
  },
  // chore
  {
    type: "chore",
    weight: 3,
    re: /\b(bump|upgrade (to|eslint|node|deps)|update dependencies|dependenc(y|ies)|abhängigkeiten|end of life|eol|drop (node|python|support)|ci matrix|refactor\w*|pure refactor|no (functional|behaviou?r) change|keine fachlichen änderungen|remove (the )?(legacy|dead|unused)|deprecated warnings?|strict mode|flaky|github actions|lint(er|ing)?|pre-commit|formatting|test coverage|testabdeckung|code coverage|tech(nical)? debt|technische schulden)\b/i,
  },
  // question
  {
    type: "question",
    weight: 2,
    re: /\b(question|frage|wondering|just curious|on the roadmap|is there a plan|best practice)\b/i,
  },
]).map((p) => ({ ...p, kind: "keyword" as const }));

const ALL_PATTERNS: Pattern[] = [
  ...TITLE_PREFIXES,
  ...TEMPLATE_SECTIONS,
  ...STACK_TRACES,
  ...QUESTION_FORMS,
  ...KEYWORDS,
];

// When two types score the same, the more consequential one wins (a security report that also
// reads like a bug is handled as security).
const TIE_ORDER: IssueType[] = ["security", "bug", "feature", "docs", "chore", "question"];

// Severity. P0: data loss, outage, or an exploit that exposes everything; P1: crash, regression,
// production breakage, something blocking people; lowered one step for cosmetic/minor wording.
const P0_PATTERNS: RegExp[] = [
  /\b(data loss|datenverlust|lost (a|all|my|our|\w+ of) (\w+ )?(data|notes|work|files|records))\b/i,
  /\b(deletes?|wipes?|wiped|overwrites?|überschreib\w*|gelöscht)\b.{0,60}\b(data|notes|files|records|datensätze|daten)\b/i,
  /\b(outage|is down|are down|platform is down|production is down|service down|ausfall|steht still)\b/i,
  /\b(every|all) (api )?(requests?|calls?) (return|fail)\w*\b/i,
  /\b(all users (are )?affected|alle nutzer\w* betroffen|nobody can|no one can|niemand (kann|mehr)|(whole|entire) (system|platform|app) (is )?(down|unusable)|(gesamte|ganze) system|nicht (mehr )?nutzbar)/i,
  /\b(sql injection|remote code execution|rce|arbitrary files?|password hashes|unauthenticated (user|attacker|access))\b/i,
];
const P1_PATTERNS: RegExp[] = [
  /\b(crash(es|ed|ing)?|stürzt\w*(\s+\S+){0,4}\s+ab|absturz|startet .{0,40}nicht|regression|oom\w*|memory leak|race condition|segfault|segmentation fault|faulting application|exception code: 0x)/i,
  /\b(production|produktion\w*|produktivsystem|blocking|blocks (us|our|the team)|blockiert|none of (our|the) users|can'?t (log ?in|complete)|lost orders|großes problem)\b/i,
  /\b(security|sicherheit\w*|vulnerab\w*|xss|cve-\d{4}-\d+|hijack\w*)\b/i,
];
const MINOR_PATTERNS: RegExp[] = [
  /\b(minor|cosmetic|slightly|nice to have|nicht dramatisch|kleinigkeit|kosmetisch)\b/i,
];

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

/** All text signals, each pattern counted at most once; title keyword hits weigh double. */
export function textSignals(title: string, body: string): Signal[] {
  const signals: Signal[] = [];
  for (const pattern of ALL_PATTERNS) {
    const inTitle = pattern.re.exec(title);
    if (inTitle) {
      const titleWeight = pattern.kind === "keyword" && !pattern.titleOnly ? 2 : 1;
      signals.push({
        type: pattern.type,
        weight: pattern.weight * titleWeight,
        kind: pattern.kind,
        evidence: quote(inTitle[0]),
      });
      continue;
    }
    if (pattern.titleOnly) continue;
    const inBody = pattern.re.exec(body);
    if (inBody) {
      signals.push({
        type: pattern.type,
        weight: pattern.weight,
        kind: pattern.kind,
        evidence: quote(inBody[0]),
      });
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
    .map((s) => `${s.kind} ${s.evidence} (+${s.weight})`)
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
  const text = `${title}\n${body}`;
  const base = BASE_PRIORITY[type];
  // Severity words only raise defects and security reports; a feature request that mentions
  // "production" is still a feature request.
  if (type === "bug" || type === "security") {
    const p0 = firstMatch(P0_PATTERNS, text);
    if (p0) return { priority: "P0", reason: `priority P0 from severity words ${quote(p0)}` };
    const p1 = firstMatch(P1_PATTERNS, text);
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
      // Defect reports nearly always carry error wording; an issue with none asks for something.
      type = "feature";
      typeReason =
        "type feature by default: no label, template section, stack trace or keyword matched (no defect wording)";
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
