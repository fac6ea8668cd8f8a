// Signals and their explanations: each test shows which signal decided and that the reason says so.
import { classifyIssue } from "../../handlers/issue-interpreter/classify";
import { interpretIssue, type InterpretInput } from "../../handlers/issue-interpreter/interpret";
import {
  DEFAULT_LABEL_MAPPING,
  defaultRepoConfig,
} from "../../handlers/issue-interpreter/repo-config";

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
