// The words and shapes the classifier looks for, by issue type, in English and German (teams
// write issues in both). Grouped by what kind of evidence they are, so a reason can say "template
// section" or "keyword". Vocabularies are written per category of wording (defect wording, docs
// wording, ...), not per issue: add a word when it means the same thing in any project.
// Module-level data is plain RegExp/arrays only (Pulumi serializes this file by value).
import type { IssueType } from "../../contract/state";

export type SignalKind =
  | "label"
  | "title prefix"
  | "template section"
  | "stack trace"
  | "error output"
  | "keyword"
  | "question form";

export interface Pattern {
  type: IssueType;
  weight: number;
  kind: SignalKind;
  re: RegExp;
  /** Only matched against the title. */
  titleOnly?: boolean;
  /** Matched against the raw body, code included (stack traces, template headings). */
  raw?: boolean;
  /** Matched against code only (fenced blocks and inline code). */
  codeOnly?: boolean;
}

type PatternSpec = Omit<Pattern, "weight" | "kind">;

// Conventional title prefixes ("[Bug]:", "feat:", "Frage:") are what issue templates and
// commit-style titles put there on purpose: strong evidence.
export const TITLE_PREFIXES: Pattern[] = (<PatternSpec[]>[
  { type: "bug", re: /^\s*[[(]?\s*(bug|fix|defect|fehler)\s*[\])]?\s*:/i },
  { type: "bug", re: /^\s*\[\s*(bug|fehler)\s*\]/i },
  {
    type: "feature",
    re: /^\s*[[(]?\s*(feat|feature|feature request|enhancement|rfe|proposal|rfc|idea|wunsch|funktionswunsch|vorschlag|idee)\s*[\])]?\s*:/i,
  },
  { type: "feature", re: /^\s*\[\s*(feature|feature request|enhancement|wunsch)\s*\]/i },
  { type: "docs", re: /^\s*[[(]?\s*(docs?|documentation|doku|dokumentation)\s*[\])]?\s*:/i },
  {
    // "area: summary" titles that name a part of the documentation as the area.
    type: "docs",
    re: /^\s*(api[- ]?(reference|docs)|readme|changelog|contributing|faq|wiki|tutorial|[\w -]{0,20}guide|[\wäöüß-]*(anleitung|handbuch|doku|dokumentation)|docs? page)\s*:/i,
  },
  { type: "chore", re: /^\s*[[(]?\s*(chore|ci|build|refactor|deps|test|tests)\s*[\])]?\s*:/i },
  { type: "question", re: /^\s*[[(]?\s*(question|q|frage|help)\s*[\])]?\s*:/i },
  { type: "security", re: /^\s*[[(]?\s*(security|sicherheit)\s*[\])]?\s*:/i },
]).map((p) => ({ ...p, weight: 6, kind: "title prefix" as const, titleOnly: true }));

// Section headings of the usual GitHub issue forms / templates (markdown heading or bold line).
export const TEMPLATE_SECTIONS: Pattern[] = (<PatternSpec[]>[
  {
    type: "bug",
    re: /^\s*(#{1,6}\s*|\*\*)\s*(steps to reproduce|how can we reproduce it\??|to reproduce|reproduction steps|describe the bug|bug description|bug report|what happened\??|actual behaviou?r|expected behaviou?r|expected result|actual result|schritte zum reproduzieren|fehlerbeschreibung|erwartetes verhalten|tatsächliches verhalten|erwartet|tatsächlich)\b/im,
  },
  {
    type: "feature",
    re: /^\s*(#{1,6}\s*|\*\*)\s*(is your feature request related to a problem|describe the solution you'?d like|feature request|proposal|proposed solution|motivation|use case|funktionswunsch|gewünschte lösung|vorschlag)\b/im,
  },
  {
    type: "docs",
    re: /^\s*(#{1,6}\s*|\*\*)\s*(which (docs|documentation) page|page url|documentation (link|url|page)|what is wrong with the docs|betroffene seite)\b/im,
  },
]).map((p) => ({ ...p, weight: 4, kind: "template section" as const, raw: true }));

// Error output: a stack trace or crash dump is the clearest sign of a defect report.
export const STACK_TRACES: Pattern[] = [
  /^\s+at .+\(.+:\d+(:\d+)?\)\s*$/m, // JavaScript / Java "at fn (file:line:col)"
  /^\s+at [\w$.<>]+\([\w.]+\.java:\d+\)/m,
  /Traceback \(most recent call last\)/,
  /^panic: /m,
  /^goroutine \d+ \[/m,
  /thread '.+' panicked at/,
  /Exception in thread "/,
  /^\s*(Faulting application name|Exception code: 0x)/m,
  /\b(TypeError|ReferenceError|RangeError|KeyError|ValueError|IndexError|NullPointerException|SyntaxError|AttributeError)\b[:[]/,
].map((re) => ({ type: "bug" as const, weight: 4, kind: "stack trace" as const, re, raw: true }));

// Error text pasted as code (a log line, a failing command's output): weaker than a stack trace.
export const ERROR_OUTPUT: Pattern[] = [
  {
    type: "bug",
    weight: 2,
    kind: "error output",
    codeOnly: true,
    re: /\b(error|exception|fatal|failed|failure|panic|errno|denied|refused|econnrefused|enoent|segmentation fault|internal server error|bad gateway|service unavailable|unsupported|invalid|cannot|can't|could not|unable to|not found|timed? ?out)\b/i,
  },
];

export const QUESTION_FORMS: Pattern[] = [
  {
    type: "question",
    weight: 4,
    kind: "question form",
    titleOnly: true,
    re: /^\s*(how (do|can|should|to|does|much|many)|what (is|are|does)|what's|why (does|is|do|are)|is there|are there|is it (possible|safe|normal|expected)|can (i|we|you|one)|does (this|it|anyone)|do (i|we|you)|should (i|we)|where (do|can|is|are)|which|wie (kann|lange|viel|funktioniert|mache|soll)|wie \w+ (ich|man|wir)|wo (kann|stelle|finde)|was (ist|muss|soll)|welche\w*|kann man|muss (ich|man)|brauche ich|gibt es|ist es möglich|frage|why|warum|wieso|weshalb|was bedeutet)\b/i,
  },
  { type: "question", weight: 2, kind: "question form", titleOnly: true, re: /\?\s*$/ },
  {
    // Asking phrases count in the body only inside a sentence that ends with "?": "kann man" in
    // "danach kann man weiter API-Aufrufe machen." reports something, it does not ask.
    type: "question",
    weight: 2,
    kind: "question form",
    re: /\b(any idea|is (that|this) expected|do i need to|do i have to|do (they|we) need to|should i|how do i|is it possible|is there (a|an|any)|where (would|should|do|can) i|ist es möglich|kann man|wie kann ich|wie mache ich|wo kann man|hat jemand|reicht es|muss ich|soll(te)? ich|gibt es (dafür |hier |da )?(eine?n?|irgendwie)|what do others use)\b[^.!?\n]{0,160}\?/i,
  },
  {
    type: "question",
    weight: 2,
    kind: "question form",
    re: /\b(thanks in advance|danke im voraus|not a bug( report)?|kein (bug|fehler)(bericht)?, nur|(just )?trying to understand|verständnisfrage)\b/i,
  },
  {
    // A body that asks (a sentence ending in "?") without reporting an error.
    type: "question",
    weight: 1,
    kind: "question form",
    re: /[a-zäöüß)]\?(\s|$)/i,
  },
];

export const KEYWORDS: Pattern[] = (<Array<Omit<Pattern, "kind">>>[
  // security: classes of vulnerability and disclosure wording
  {
    type: "security",
    weight: 5,
    re: /\b(vulnerab\w*|cve-\d{4}-\d+|ghsa-[\w-]+|ssrf|open redirect|xxe|denial of service|xss|cross-site scripting|csrf|(sql|nosql|command|code|shell|os|ldap|template|header|html|script|xml|xpath|crlf|log|prompt)[ -]?injection|path traversal|directory traversal|remote code execution|rce|privilege escalation|prototype pollution|idor|insecure direct object|session fixation|account takeover|take over (any|other|another)|auth(entication|ori[sz]ation)? bypass|exploit\w*|hijack\w*|alg\W{0,4}none|(forge|forged|craft|crafted) (a |an )?(\w+ )?(token|jwt|session|cookie|signature)|sicherheitslücke|schwachstelle|kontoübernahme|security (issue|vulnerability|hole|flaw|bug)|sicherheitsproblem|responsible disclosure|(not|nirgends|noch nicht) (yet )?(published|disclosed|veröffentlicht))\b/i,
  },
  {
    type: "security",
    weight: 3,
    re: /\b(not (protected|authori[sz]ed|checked)|does(n'?t| not) check the (role|permission)s?|(access|privilege|permission) (control|check|bypass)|bypass\w*|promote my own|any (logged-in |regular )?user can|ohne (berechtigung|anmeldung)|in plain ?text|im klartext|password hashes|session token|leaks? (the )?(token|password|secret|credentials)|leak(s|ed|ing)? (an? |the )?(api |access )?(tokens?|keys?|secrets?|passwords?|credentials)|secrets? in (the )?logs?|unauthenticated|arbitrary files?|javascript:|jwt|(not|nicht) (invalidated|invalidiert|revoked|widerrufen)|still valid after|bleibt .{0,30}gültig|(any|every) other (user|account)|fremde\w* (konten|konto|daten)|beliebige\w* (anderen? )?(kont\w*|benutzer\w*)|sicherheitsrisiko|security risk|echtes risiko|(api[- ]?keys?|access tokens?|tokens?|secrets?|passwords?|credentials) (are |is |get |gets )?(written|logged|printed|exposed|visible|leaked|stored in (plain|clear))|(passw\S*|tokens?|schlüssel|zugangsdaten|geheimnisse?) (werden|wird|sind|ist|landen) .{0,30}(geloggt|protokolliert|ausgegeben|sichtbar|im log))/i,
  },
  // bug: defect wording (something happens that should not, or does not happen that should)
  {
    type: "bug",
    weight: 3,
    re: /\b(crash(es|ed|ing)?|crash loop|stürzt\w*(\s+\S+){0,4}\s+ab|absturz|abstürz\w*|regression|exception|stack ?trace|segfault|segmentation fault|oom\w*|memory leak|race condition|data loss|datenverlust|data corruption|corrupt(ed|s)?|off[- ]by[- ]one|infinite loop|endlosschleife|internal server error|interner serverfehler|blank (page|screen|white page|preview)|(page|screen|preview|window|tab|dialog) (is |stays |goes )?blank|white (page|screen)|(goes|stays|is|shows) blank|leere seite|bricht\s.{0,60}\bab\b|deadlock|bug\b)/i,
  },
  {
    type: "bug",
    weight: 2,
    re: /\b(slow(er|ly)?|times? out|timed out|timing out|hangs?|hanging|stuck|freez(es|ing)|langsam|hängt|hängen|bleibt .{0,30}(hängen|stehen)|error|errors|fails?|failing|failed|broken(?! links?)|doesn'?t work|does not work|not working|does nothing|no longer|anymore|wrong(ly)?|incorrect(ly)?|instead of|returns? (http )?[45]\d\d|duplicates?|twice|never (arrive|sent|appear|show|finish|complete)\w*|is (missing|gone)|hidden behind|misaligned|unreadable|unlesbar|lost|ignored|ignores|rejects?|rejected|unexpected(ly)?|one (more|less|fewer) than|still (says|shows|displays)|fehler|fehlerhaft\w*|funktioniert (nicht|nicht mehr)|geht nicht|klappt nicht|falsch\w*|kaputt\w*|defekt\w*|zerschossen\w*|doppelt\w*|leere? datei|nicht mehr|seit dem (letzten )?update|fragezeichen|ignoriert|nicht (mehr )?(gefunden|angezeigt|gespeichert)|findet .{0,60}nicht|taucht .{0,30}nie|unerwartet\w*|fehlermeldung\w*|schlägt .{0,30}fehl|fehlgeschlagen|scheitert|reagiert nicht|lädt (nicht|ewig|endlos)|(can'?t|cannot|can not|unable to) (log ?in|sign ?in|save|open|upload|download|load|connect|access|delete|edit|create))\b|[a-zäöüß]+(?<!tipp|schreib)fehler\w*|(?<![\wäöüß])überschrieben/i,
  },
  {
    // Something that should happen does not: the defect wording of reports without an error text.
    type: "bug",
    weight: 2,
    re: /\b(((is|are|was|were|get|gets|got) )?not (generated|shown|saved|deleted|sent|updated|displayed|applied|removed|created|found)|(don'?t|doesn'?t|do not|does not|didn'?t|did not) (match|show|save|load|appear|update|start|open|close|respond)|should (be|have been) (clamped|case-insensitive|\w+ed)|(wird|werden) .{0,40}nicht (gelöscht|gespeichert|angezeigt|erzeugt|übernommen|verschickt|gefunden)|zu (früh|spät)|ausgefallen|unsupported)/i,
  },
  { type: "bug", weight: 2, re: /(^|[\s(>])(404|500|502|503)\b/ },
  {
    type: "bug",
    weight: 2,
    re: /\b(after upgrading|since upgrading|since (the )?(update|upgrade)|since v?\d+\.\d+|worked in|it worked|used to work|lief alles|vorher ging|(ging|lief|funktionierte) (es )?noch|seit (dem )?(update|version|v?\d+\.\d+))/i,
  },
  // feature: asking for something that does not exist yet
  {
    type: "feature",
    weight: 3,
    re: /\b(feature request|add support|support for|it would be (great|nice|good|useful)|would be (great|nice|helpful|a (huge |big |great |real )?(time ?saver|improvement|plus))|would like|we'?d like|i'?d like to (be able|have)|would you accept|allow (users|us|to)|option to|an? (flag|option|setting|endpoint|hook)s? (for|to|like)|ability to|being able to|es wäre (toll|schön|gut|praktisch)|wäre (toll|schön|praktisch)|desired behaviou?r|a (setting|config option|switch) (such as|like|for|to)|wäre (super|klasse|hilfreich)|wünschenswert|ich wünsche mir|any plans (for|to)|(is|are) (this|that|it|there) planned|ist (das|so etwas|sowas) geplant|would (remove|save|reduce|replace|help|simplify)|would (let|allow|enable) (us|me|users|people)|could replace|brauchen wir|wir brauchen|könntet ihr|könnte man|bitte eine möglichkeit|möglichkeit (einbauen|geben|schaffen)|wunsch|einbauen|anbieten|please add|(we|i)'?d love|would love|würden uns freuen|hätten (gerne?|lieber)|bitte .{0,40}(hinzufügen|ergänzen|einbauen))\b/i,
  },
  {
    type: "feature",
    weight: 2,
    re: /\b(would make (it|this|that|\w+) (much |a lot )?(easier|faster|cleaner|clean|simpler|possible)|could be opt-in|opt-in|würde .{0,30}(erleichtern|vereinfachen)|(we|i) want (a|an|to be able)|wenn man .{0,60}könnte)/i,
  },
  {
    type: "feature",
    weight: 2,
    titleOnly: true,
    re: /^\s*(add|support|allow|expose|provide|implement|introduce|enable (users|a|an)|export|filter|dunkles|unterstützung|neue?)\b/i,
  },
  // docs: the documentation itself is wrong, missing or misspelled
  {
    type: "docs",
    weight: 3,
    re: /\b(readme|contributing(\.md)?|changelog|release notes|upgrade guide|migration guide|openapi|api[- ](docs|reference|beschreibung)|[\w-]+\.md|(readme|build|status|ci|coverage|npm|version) badge|docs|documentation|documented|undocumented|nicht dokumentiert|typo|typos|spelling|misspel\w*|misspelt|grammar|tippfehler|rechtschreib\w*|schreibfehler|doku|dokumentation|anleitung|handbuch|hilfeseite|help (text|page)|usage (text|message)|man ?page|faq|wiki|tutorial|(the|this|in the|a) guide|broken links?|code example|getting started|explain (how|what|why|which)|erklär(en|ung)|a section (for|on|about)|abschnitt (zu|über|für))\b|[a-zäöüß]+(anleitung|dokumentation|handbuch|doku)\b/i,
  },
  // chore: maintenance with no change in behaviour (dependencies, CI, tooling, refactoring)
  {
    type: "chore",
    weight: 3,
    re: /\b(bump|upgrade (to|eslint|node|deps)|update dependencies|dependenc(y|ies)|[a-zäöüß]*abhängigkeit(en)?|end of life|eol|drop (node|python|support)|ci matrix|test ?matrix|refactor\w*|pure refactor|no (functional|behaviou?r) change|keine (fachlichen|funktionalen) änderungen|remove (the )?(legacy|dead|unused)|deprecat(ed|ion) (warnings?|notices?)|strict mode|flaky|github actions|\.github\/workflows|actions\/[\w-]+@|workflow files?|dockerfile|base image|renovate|dependabot|lockfile|lint(er|ing)?|pre-commit|formatting|test coverage|testabdeckung|code coverage|tech(nical)? debt|technische schulden|clean ?up|aufräumen|vereinheitlich\w*|einheitlich\w*|structured logging|strukturiert\w* logging|split .{0,40} into|(its|their) own (files?|modules?)|(prepare|cut|publish) (a |the )?release|release (checklist|process|v?\d+\.\d+)|(update|upgrade|aktualisierung) (auf|to) [^\n.,]{0,30}?\bv?\d)\b/i,
  },
  { type: "chore", weight: 2, re: /(^|[\s(])ci\b|\bpipeline\b|\b(rename|umbenennen)\b/i },
  // Reports described without the usual labels: the vulnerability class by its effect, a defect
  // by observed-versus-expected wording, a chore by the kind of change.
  {
    type: "security",
    weight: 5,
    re: /\b(\w+[ -](?<!dependency[ -]|dependenz[ -])injection|metadata (endpoint|service)|169\.254\.169\.254|internal (network|services?|hosts?) (from|via|through)|reported (it )?privately|privately reported|redacted|bug bounty|cvss)\b/i,
  },
  {
    type: "bug",
    weight: 2,
    re: /\b(takes (forever|ages|\d+ (to \d+ )?(seconds|minutes))|(seconds|minutes) to (load|open|respond)|dauert (ewig|ewigkeiten|\d+)|regardless of|unabhängig von|(i )?would expect|i expected|expected (it|that|to|the)|should (show|return|use|display|keep|work|accept)|sollte eigentlich|eigentlich sollte|stimmt (aber )?nicht|komme .{0,20}nicht (mehr )?rein|passiert nichts|nothing happens)\b/i,
  },
  {
    // How defects are reported: it happens every time, for everyone, reproducibly.
    type: "bug",
    weight: 1,
    re: /\b(every time|each time|jedes mal|immer wenn|for everyone|for every(one| user)|für alle|reproducible|reproduzierbar|consistently|always happens)\b/i,
  },
  {
    type: "feature",
    weight: 2,
    re: /\b(if [^.?!\n]{0,80}\bcould\b|wenn [^.?!\n]{0,80}\b(könnte|würde)\b|würde (uns|mir|allen) [^.?!\n]{0,60}(ersparen|sparen|helfen|erleichtern)|would (need no|not need|no longer need))/i,
  },
  {
    // German titles name the wanted change with an infinitive at the end.
    type: "feature",
    weight: 2,
    titleOnly: true,
    re: /\b(bereitstellen|ermöglichen|hinzufügen|unterstützen|einführen|anbieten|einbauen|ergänzen|erlauben)\s*$/i,
  },
  {
    type: "docs",
    weight: 3,
    re: /\b((configuration|config|cli|api|command) reference|reference (page|docs|manual)|(the|this|that) (docs? )?page (says|lists|states|shows))\b/i,
  },
  {
    type: "chore",
    weight: 3,
    re: /\b((move|migrate|switch|port) (the )?[\w -]{0,30} to [\w.-]+ v?\d+|auf [^.\n]{0,40}umstellen|umstell(en|ung) auf|no longer (supported|maintained)|security updates|sicherheitsupdates|keine [^.\n]{0,20}updates mehr|nicht mehr (unterstützt|gepflegt)|deprecated|warnings? (on|during|at) (install|build|startup))\b/i,
  },
  // question
  {
    type: "question",
    weight: 2,
    re: /\b(question|frage|wondering|just curious|on the roadmap|is there a plan|best practice|(best|recommended|right|intended) (way|approach))\b/i,
  },
]).map((p) => ({ ...p, kind: "keyword" as const }));

export const ALL_PATTERNS: Pattern[] = [
  ...TITLE_PREFIXES,
  ...TEMPLATE_SECTIONS,
  ...STACK_TRACES,
  ...ERROR_OUTPUT,
  ...QUESTION_FORMS,
  ...KEYWORDS,
];

// Negated defect/security wording is no evidence: "nothing is broken yet", "no crash",
// "kein Fehler". Matched phrases are blanked out of the prose before the keywords run.
export const NEGATIONS: RegExp[] = [
  /\b(not|no|nothing|never|isn'?t|wasn'?t|without( any)?)\s+(a\s+|an\s+|is\s+|was\s+|really\s+|yet\s+)?(bug|error|errors|crash\w*|broken|regression|security (issue|problem|vulnerability)|failures?)\b/gi,
  /\b(kein(e|en)?|nicht|ohne)\s+(echter?\s+|richtiger?\s+)?(fehler(meldung)?|bug|absturz|sicherheitsproblem|regression)\b/gi,
  /\bnichts (ist )?(kaputt|defekt)\b/gi,
];

// Sections of a template that carry context rather than the report itself (environment,
// versions, alternatives): words there count half.
export const CONTEXT_HEADING =
  /^\s*(#{1,6}\s*|\*\*)\s*(additional (context|information|notes?)|environment|versions?|alternatives?( you'?ve)?( considered)?|screenshots?|relevant log output|logs?|system info\w*|umgebung|zusätzliche\w* (infos?|informationen|kontext)|weitere informationen|alternativen|anmerkungen)\b/i;

// Severity. P0: data loss, outage, or an exploit that exposes everything; P1: crash, regression,
// production breakage, something blocking people; lowered one step for cosmetic/minor wording.
export const P0_PATTERNS: RegExp[] = [
  /\b(data loss|datenverlust|lost (a|all|my|our|\w+ of) (\w+ )?(data|notes|work|files|records))\b/i,
  /(\b(deletes?|wipes?|wiped|overwrites?|gelöscht)|(?<![\wäöüß])überschreib\w*)\b.{0,60}\b(data|notes|files|records|datensätze|daten)\b/i,
  /\b(outage|is down|are down|platform is down|production is down|service down|ausfall|steht still)\b/i,
  /\b(every|all) (api )?(requests?|calls?) (return|fail)\w*\b/i,
  /\b(all users (are )?affected|all (of )?our users are affected|alle nutzer\w* betroffen|nobody can|no one can|niemand (kann|mehr)|(whole|entire) (system|platform|app) (is )?(down|unusable)|(gesamte|ganze) system|nicht (mehr )?nutzbar)/i,
  /\b(sql injection|remote code execution|rce|arbitrary files?|password hashes|unauthenticated (user|attacker|access))\b/i,
  /\b(returns?|exposes?|leaks?|reveals?) [^.\n]{0,60}\b(credentials|private keys?|zugangsdaten)\b/i,
  /\b(account takeover|kontoübernahme|take over (any|every)|jedes konto|(any|every) (other )?(user|account)('s)? (account|password|data)|beliebige\w* (anderen? )?kont\w*|including admins?|alg\W{0,4}none|auth(entication)? bypass)/i,
];
export const P1_PATTERNS: RegExp[] = [
  /\b(crash(es|ed|ing)?|crash loop|stürzt\w*(\s+\S+){0,4}\s+ab|absturz|startet .{0,40}nicht|regression|oom\w*|memory leak|race condition|segfault|segmentation fault|faulting application|exception code: 0x|data corruption)/i,
  /\b(production|produktion\w*|produktivsystem|blocking|blocks (us|our|the team)|blockiert|none of (our|the) users|can'?t (log ?in|complete)|lost orders|großes problem)\b/i,
  /\b(security|sicherheit\w*|vulnerab\w*|xss|cve-\d{4}-\d+|hijack\w*)\b/i,
];
export const MINOR_PATTERNS: RegExp[] = [
  /\b(minor|cosmetic|slightly|nice to have|tiny (thing|issue)|low (impact|severity)|nicht dramatisch|kleinigkeit|kosmetisch|geringe auswirkung\w*)\b/i,
];
