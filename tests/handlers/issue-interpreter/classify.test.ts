// Signals and their explanations: each test shows which signal decided and that the reason says so.
import { classifyIssue } from "../../../handlers/issue-interpreter/classify";
import { interpretIssue, type InterpretInput } from "../../../handlers/issue-interpreter/interpret";
import { DEFAULT_LABEL_MAPPING, defaultRepoConfig } from "../../../handlers/shared/repo-config";

const mapping = { ...DEFAULT_LABEL_MAPPING };
const classify = (title: string, body = "", labels: string[] = []) =>
  classifyIssue({ title, body, labels, labelMapping: mapping });

describe("type signals", () => {
  it("an existing label decides over the text, and the reason names the label", () => {
    const result = classify("App crashes on start", "TypeError: boom", ["enhancement"]);
    expect(result.type).toBe("feature");
    expect(result.reasons[0]).toBe('type feature from label "enhancement"');
  });

  it("a repository's label mapping is used", () => {
    const result = classifyIssue({
      title: "whatever",
      body: "",
      labels: ["kind/regression-x"],
      labelMapping: { ...mapping, "kind/regression-x": "bug" },
    });
    expect(result.reasons[0]).toBe('type bug from label "kind/regression-x"');
  });

  it("issue-form sections", () => {
    const bug = classify(
      "Export",
      "### Steps to reproduce\n1. click export\n### Expected behavior\nfile",
    );
    expect(bug.type).toBe("bug");
    expect(bug.reasons[0]).toContain('template section "### Steps to reproduce"');
    const feature = classify(
      "Export",
      "**Is your feature request related to a problem? Please describe.**\nNo xlsx.",
    );
    expect(feature.type).toBe("feature");
    expect(feature.reasons[0]).toContain("template section");
  });

  it("a stack trace", () => {
    const result = classify(
      "sync stops",
      "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nKeyError: 'id'",
    );
    expect(result.type).toBe("bug");
    expect(result.reasons[0]).toContain('stack trace "Traceback (most recent call last)"');
  });

  it("German keywords", () => {
    expect(classify("Programm stürzt beim Speichern ab").type).toBe("bug");
    expect(classify("Tippfehler in der Dokumentation").type).toBe("docs");
    expect(classify("Wie kann ich den Port ändern?").type).toBe("question");
    expect(classify("Sicherheitslücke: Passwörter im Klartext im Log").type).toBe("security");
  });

  it("a security report that reads like a bug is security", () => {
    const result = classify(
      "Login page error",
      "SQL injection via the username field returns all rows",
    );
    expect(result.type).toBe("security");
  });

  it("is deterministic", () => {
    const a = classify("Crash on save", "Error: x\n    at f (a.js:1:1)");
    const b = classify("Crash on save", "Error: x\n    at f (a.js:1:1)");
    expect(a).toEqual(b);
  });
});

describe("vocabularies by category, not by fixture", () => {
  it.each([
    // defect wording
    ["Page count off by one", "Shows 11 pages when there are 10.", "bug"],
    ["Kalender zeigt falsche Wochennummer", "", "bug"],
    ["Anmeldung mit SSO schlägt fehl", "", "bug"],
    ["Unable to log in with SSO", "", "bug"],
    ["Settings page blank in Safari", "", "bug"],
    // docs wording
    ["Typo in --help output", "'recieve' instead of 'receive'", "docs"],
    ["README install command is wrong", "It says npm i foo but the package is @org/foo.", "docs"],
    // security wording
    ["API accepts unsigned tokens", "Tokens with alg none are accepted.", "security"],
    ["Passwörter werden im Log ausgegeben", "", "security"],
    ["Logout ohne Wirkung", "Das Token wird nach dem Abmelden nicht widerrufen.", "security"],
    // chore wording
    ["Update auf Spring Boot 3.4", "", "chore"],
    ["Release v4.1.0", "Checklist: changelog, tag, publish to npm.", "chore"],
    ["Refactor the dependency injection container", "No behaviour change.", "chore"],
    // question wording
    ["how do i configure the proxy", "I am behind a corporate proxy.", "question"],
    ["Warum dauert der Build so lange", "", "question"],
    // feature wording
    ["Könnte man die Sidebar einklappbar machen?", "", "feature"],
    // a class of vulnerability named by its kind, but not a programming pattern of the same name
    ["CSV export allows formula injection", "", "security"],
    ["Speicherung erlaubt LDAP-Injection", "", "security"],
  ])("%s | %s -> %s", (title, body, type) => {
    expect(classify(title, body).type).toBe(type);
  });

  it("the reason names the deciding signal and where it was found", () => {
    expect(classify("Page count off by one").reasons[0]).toBe(
      'type bug (score 6) from keyword "off by one" in title (+6)',
    );
  });

  it("negated defect wording is no evidence", () => {
    const result = classify(
      "Replace deprecated action in the release workflow",
      "Nothing is broken yet, but the workflow prints a deprecation notice.",
    );
    expect(result.type).toBe("chore");
    expect(result.signals.filter((s) => s.type === "bug")).toEqual([]);
    // Without the negation the same word is defect wording.
    expect(classify("Export", "The export is broken.").type).toBe("bug");
  });

  it("code is no prose: a quoted header name neither makes a security report nor raises priority", () => {
    const result = classify(
      "Settings page blank in Safari",
      "Console: `Refused to apply inline style because it violates the Content Security Policy`",
    );
    expect(result.type).toBe("bug");
    expect(result.priority).toBe("P2");
    expect(result.signals.some((s) => s.kind === "error output" && s.where === "code")).toBe(true);
  });

  it("words in a template's context sections weigh half", () => {
    const body = "Deleting a row does nothing.\n\n### Additional context\nSee the FAQ.";
    const signals = classify("Rows", body).signals;
    expect(signals.find((s) => s.type === "docs")).toMatchObject({
      where: "context section",
      weight: 1.5,
    });
  });

  it("an asking phrase in the body counts only in a sentence that asks", () => {
    const statement = classify("Sitzung", "Danach kann man weiterhin Daten abrufen.");
    expect(statement.signals.some((s) => s.type === "question")).toBe(false);
    const asking = classify("Sitzung", "Kann man die Sitzung verlängern?");
    expect(asking.type).toBe("question");
  });

  it("no signal at all: feature, and the reason says it was the default", () => {
    const result = classify("Tags", "");
    expect(result.type).toBe("feature");
    expect(result.reasons[0]).toMatch(/^type feature by default: no label, template section/);
  });
});

describe("priority", () => {
  it.each([
    ["Sync deletes local notes", "I lost a week of notes, data loss on every device", "P0"],
    ["Import überschreibt Datensätze", "Datenverlust im Produktivsystem", "P0"],
    ["All API requests return 500", "our platform is down", "P0"],
    ["Regression: login loop", "after upgrading nobody... blocking production", "P1"],
    ["Programm stürzt beim Start ab", "", "P1"],
    ["Save button does nothing", "no error", "P2"],
    ["Icons slightly misaligned", "minor cosmetic issue, wrong offset", "P3"],
    ["Add dark mode", "would be nice", "P3"],
  ])("%s -> %s", (title, body, priority) => {
    expect(classify(title, body).priority).toBe(priority);
  });

  it("severity words do not raise a feature request", () => {
    expect(classify("Add OIDC login", "we need it in production").priority).toBe("P3");
  });

  it("a priority label decides", () => {
    const result = classify("Crash", "", ["priority:P0"]);
    expect(result.priority).toBe("P0");
    expect(result.reasons[1]).toBe('priority P0 from label "priority:P0"');
  });
});

describe("AFU-9's own labels are output, not evidence", () => {
  const base = (labels: string[], events: InterpretInput["events"]): InterpretInput => ({
    issue: {
      number: 1,
      title: "Crash on save",
      body: "TypeError: x\n    at save (a.js:1:1)",
      state: "open",
      user: { login: "u" },
      labels,
    },
    config: { status: "ok", config: defaultRepoConfig() },
    events,
    comments: [],
    permissions: {},
    openPullRequests: [],
    delivery: "unknown",
  });
  const label = (name: string, actor: string, type = "User") => ({
    id: 1,
    event: "labeled",
    actor: { login: actor, type },
    created_at: "2026-01-01T00:00:00Z",
    label: { name },
  });

  it("labels applied by the App are ignored, so a re-run explains itself the same way", () => {
    const first = interpretIssue(base([], []));
    const second = interpretIssue(
      base(
        ["type:bug", "priority:P1"],
        [label("type:bug", "afu9[bot]", "Bot"), label("priority:P1", "afu9[bot]", "Bot")],
      ),
    );
    expect(second.analysis.reasons).toEqual(first.analysis.reasons);
  });

  it("a person who relabels overrides the analysis", () => {
    const result = interpretIssue(base(["type:feature"], [label("type:feature", "mona")]));
    expect(result.analysis.type).toBe("feature");
    expect(result.analysis.reasons[0]).toBe('type feature from label "type:feature"');
  });
});
