// Who may trigger the factory: the product's most important rule. Every case starts from one
// fully actionable scenario and changes exactly one fact, so each test shows that this fact alone
// decides. The patch strategy is injected (the real detection lands with the patch generator).
import {
  interpretIssue,
  type InterpretInput,
  type IssueEventLike,
  type PermissionLevel,
} from "../../../handlers/issue-interpreter/interpret";
import { defaultRepoConfig, parseRepoConfig } from "../../../handlers/shared/repo-config";
import type { PatchPlan, RepoConfig } from "../../../contract/state";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";

const PLAN: PatchPlan = { strategy: "unified-diff", files: ["src/app.ts"] };
const TITLE = "Crash when the list is empty";
const BODY =
  "Steps to reproduce: open an empty list.\n\n```diff\n--- a/src/app.ts\n+++ b/src/app.ts\n```";

function labeled(id: number, label: string, actor: string, at: string): IssueEventLike {
  return { id, event: "labeled", actor: { login: actor }, created_at: at, label: { name: label } };
}

function renamed(id: number, actor: string, at: string): IssueEventLike {
  return {
    id,
    event: "renamed",
    actor: { login: actor },
    created_at: at,
    rename: { from: "old", to: TITLE },
  };
}

function okConfig(overrides: Partial<RepoConfig> = {}) {
  return { status: "ok" as const, config: { ...defaultRepoConfig(), ...overrides } };
}

/** A stranger opened the issue; maintainer `mona` (write) applied `afu9`; this run is that delivery. */
function scenario(overrides: Partial<InterpretInput> = {}): InterpretInput {
  return {
    issue: {
      number: 12,
      title: TITLE,
      body: BODY,
      state: "open",
      locked: false,
      user: { login: "stranger", type: "User" },
      author_association: "NONE",
      labels: [{ name: "afu9" }],
      created_at: "2026-01-01T10:00:00Z",
    },
    config: okConfig(),
    events: [labeled(1, "afu9", "mona", "2026-01-01T11:00:00Z")],
    comments: [],
    permissions: { stranger: "read", mona: "write" },
    openPullRequests: [],
    delivery: {
      event: "issues",
      action: "labeled",
      label: "afu9",
      sender: "mona",
      textSha256: issueTextSha256(TITLE, BODY),
    },
    detectStrategy: () => PLAN,
    ...overrides,
  };
}

function statusOf(input: InterpretInput, rule: string) {
  return interpretIssue(input).checks.find((c) => c.rule === rule)?.status;
}

describe("the actionable baseline", () => {
  it("uses the patch generator's detection by default (a diff block in the issue)", () => {
    const diff = "Fix:\n\n```diff\n--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1 +1 @@\n-a\n+b\n```\n";
    const input = scenario({
      issue: { ...scenario().issue, body: diff },
      delivery: {
        ...(scenario().delivery as object),
        textSha256: issueTextSha256(TITLE, diff),
      } as InterpretInput["delivery"],
    });
    delete input.detectStrategy;
    const result = interpretIssue(input);
    expect(result.analysis.plan).toMatchObject({ strategy: "unified-diff", files: ["src/app.ts"] });
    expect(result.analysis.actionable).toBe(true);
  });

  it("is actionable when a writer applied the label and nothing else is wrong", () => {
    const result = interpretIssue(scenario());
    expect(result.checks.map((c) => `${c.rule}:${c.status}`)).toEqual([
      "repository:pass",
      "issue:pass",
      "trigger:pass",
      "text:pass",
      "pull-request:pass",
      "plan:pass",
    ]);
    expect(result.analysis.actionable).toBe(true);
    expect(result.analysis.plan).toEqual(PLAN);
    expect(result.trigger).toMatchObject({ kind: "label", labelledBy: "mona" });
  });

  it("is not actionable when the patch generator's detection finds no strategy", () => {
    const prose = "It crashes. Please fix it somehow.";
    const input = scenario({
      issue: { ...scenario().issue, body: prose },
      delivery: {
        ...(scenario().delivery as object),
        textSha256: issueTextSha256(TITLE, prose),
      } as InterpretInput["delivery"],
    });
    delete input.detectStrategy;
    const result = interpretIssue(input);
    expect(result.analysis.plan).toBeNull();
    expect(result.analysis.actionable).toBe(false);
    expect(result.analysis.reasons).toContain("plan fail: no patch strategy applies to this issue");
  });
});

describe("author_association never grants anything: only the permission API counts", () => {
  const associations = [
    "OWNER",
    "MEMBER",
    "COLLABORATOR",
    "CONTRIBUTOR",
    "FIRST_TIME_CONTRIBUTOR",
    "FIRST_TIMER",
    "MANNEQUIN",
    "NONE",
  ];
  const auto = okConfig({ autoTriggerForWriters: true });
  // No label: the only possible trigger is "opened by a writer" (auto-trigger on).
  const opened = (association: string, permission: PermissionLevel | undefined) =>
    scenario({
      config: auto,
      issue: { ...scenario().issue, labels: [], author_association: association },
      events: [],
      permissions: permission ? { stranger: permission } : {},
      delivery: {
        event: "issues",
        action: "opened",
        sender: "stranger",
        textSha256: issueTextSha256(TITLE, BODY),
      },
    });

  it.each(associations)("%s with permission write is trusted", (association) => {
    expect(interpretIssue(opened(association, "write")).analysis.actionable).toBe(true);
  });

  it.each(associations)("%s with permission read is not", (association) => {
    const result = interpretIssue(opened(association, "read"));
    expect(result.analysis.actionable).toBe(false);
    expect(statusOf(opened(association, "read"), "trigger")).toBe("fail");
  });

  it.each(associations)("%s with unknown permission is unknown, not actionable", (association) => {
    const result = interpretIssue(opened(association, undefined));
    expect(result.checks.find((c) => c.rule === "trigger")?.status).toBe("unknown");
    expect(result.analysis.actionable).toBe(false);
  });

  it("a private org member that GitHub reports as CONTRIBUTOR but who has write is trusted", () => {
    const result = interpretIssue(opened("CONTRIBUTOR", "maintain"));
    expect(result.trigger).toMatchObject({ kind: "author", authorAssociation: "CONTRIBUTOR" });
    expect(result.analysis.actionable).toBe(true);
  });

  it("without auto-trigger even an OWNER with admin needs the label", () => {
    const input = opened("OWNER", "admin");
    input.config = okConfig();
    expect(statusOf(input, "trigger")).toBe("fail");
  });
});

describe("the trigger label", () => {
  it.each<[PermissionLevel, boolean]>([
    ["admin", true],
    ["maintain", true],
    ["write", true],
    ["triage", false],
    ["read", false],
    ["none", false],
  ])("applied by someone with %s permission -> actionable %s", (permission, actionable) => {
    const input = scenario({ permissions: { stranger: "read", mona: permission } });
    expect(interpretIssue(input).analysis.actionable).toBe(actionable);
    expect(statusOf(input, "trigger")).toBe(actionable ? "pass" : "fail");
  });

  it("the latest application counts: re-applied by a non-writer after a writer removed it", () => {
    const input = scenario({
      events: [
        labeled(1, "afu9", "mona", "2026-01-01T11:00:00Z"),
        { ...labeled(2, "afu9", "mona", "2026-01-01T11:05:00Z"), event: "unlabeled" },
        labeled(3, "afu9", "triager", "2026-01-01T11:10:00Z"),
      ],
      permissions: { stranger: "read", mona: "write", triager: "triage" },
      delivery: {
        ...(scenario().delivery as object),
        sender: "triager",
      } as InterpretInput["delivery"],
    });
    const result = interpretIssue(input);
    expect(result.trigger.labelledBy).toBe("triager");
    expect(result.analysis.actionable).toBe(false);
  });

  it("is not a trigger when absent from the issue, whatever the events say", () => {
    const input = scenario({ issue: { ...scenario().issue, labels: [] } });
    expect(statusOf(input, "trigger")).toBe("fail");
  });

  it("fails closed when the label is present but no event says who applied it", () => {
    expect(statusOf(scenario({ events: [] }), "trigger")).toBe("fail");
  });

  it("honours a configured trigger label and ignores the default one", () => {
    const input = scenario({ config: okConfig({ triggerLabel: "autofix" }) });
    expect(statusOf(input, "trigger")).toBe("fail");
    const relabelled = scenario({
      config: okConfig({ triggerLabel: "autofix" }),
      issue: { ...scenario().issue, labels: [{ name: "autofix" }] },
      events: [labeled(1, "autofix", "mona", "2026-01-01T11:00:00Z")],
      delivery: {
        ...(scenario().delivery as object),
        label: "autofix",
      } as InterpretInput["delivery"],
    });
    expect(interpretIssue(relabelled).analysis.actionable).toBe(true);
  });
});

describe("text after the trigger from people without write permission", () => {
  it("a title change by the non-writer author after labelling invalidates the trigger", () => {
    const input = scenario({
      events: [
        labeled(1, "afu9", "mona", "2026-01-01T11:00:00Z"),
        renamed(2, "stranger", "2026-01-01T11:30:00Z"),
      ],
      delivery: {
        ...(scenario().delivery as object),
        action: "edited",
      } as InterpretInput["delivery"],
    });
    const result = interpretIssue(input);
    expect(result.checks.find((c) => c.rule === "text")).toMatchObject({ status: "fail" });
    expect(result.analysis.actionable).toBe(false);
  });

  it("...until a writer re-applies the label (in the run that re-application starts)", () => {
    const input = scenario({
      events: [
        labeled(1, "afu9", "mona", "2026-01-01T11:00:00Z"),
        renamed(2, "stranger", "2026-01-01T11:30:00Z"),
        { ...labeled(3, "afu9", "mona", "2026-01-01T11:40:00Z"), event: "unlabeled" },
        labeled(4, "afu9", "mona", "2026-01-01T11:41:00Z"),
      ],
    });
    expect(interpretIssue(input).analysis.actionable).toBe(true);
  });

  it("a title change before labelling is what the writer approved", () => {
    const input = scenario({
      events: [
        renamed(1, "stranger", "2026-01-01T10:30:00Z"),
        labeled(2, "afu9", "mona", "2026-01-01T11:00:00Z"),
      ],
    });
    expect(interpretIssue(input).analysis.actionable).toBe(true);
  });

  it("a title change by a writer after labelling does not invalidate", () => {
    const input = scenario({
      events: [
        labeled(1, "afu9", "mona", "2026-01-01T11:00:00Z"),
        renamed(2, "mona", "2026-01-01T11:30:00Z"),
      ],
    });
    expect(statusOf(input, "text")).toBe("pass");
  });

  it("a body edited between the label and this run (delivered text != current) invalidates", () => {
    const input = scenario({
      issue: { ...scenario().issue, body: `${BODY}\n\nAlso delete the CI workflow.` },
    });
    expect(statusOf(input, "text")).toBe("fail");
    expect(interpretIssue(input).analysis.actionable).toBe(false);
  });

  it("a later run (edited / comment delivery) on a non-writer's issue is not actionable", () => {
    for (const delivery of [
      { event: "issues", action: "edited", sender: "stranger" },
      { event: "issue_comment", action: "created", sender: "stranger" },
      { event: "issues", action: "labeled", label: "bug", sender: "mona" },
    ]) {
      const input = scenario({
        delivery: { ...delivery, textSha256: issueTextSha256(TITLE, BODY) },
      });
      expect(statusOf(input, "text")).toBe("fail");
    }
  });

  it("a labeled delivery without the label's name fails closed and says what is missing", () => {
    const input = scenario({
      delivery: {
        event: "issues",
        action: "labeled",
        sender: "mona",
        textSha256: issueTextSha256(TITLE, BODY),
      },
    });
    const text = interpretIssue(input).checks.find((c) => c.rule === "text");
    expect(text?.status).toBe("fail");
    expect(text?.detail).toContain("delivery.label is missing");
  });

  it("on a writer's own issue, body edits can only come from writers", () => {
    const input = scenario({
      issue: { ...scenario().issue, body: "edited by the author" },
      permissions: { stranger: "write", mona: "write" },
      delivery: {
        event: "issues",
        action: "edited",
        sender: "stranger",
        textSha256: issueTextSha256(TITLE, BODY),
      },
    });
    expect(statusOf(input, "text")).toBe("pass");
  });

  it("comments of non-writers and bots never reach the patch strategy", () => {
    let seen: string[] = [];
    const input = scenario({
      comments: [
        {
          id: 1,
          body: "please also drop the tests",
          user: { login: "stranger" },
          created_at: "2026-01-01T11:10:00Z",
        },
        {
          id: 2,
          body: "use the helper in utils.ts",
          user: { login: "mona" },
          created_at: "2026-01-01T11:20:00Z",
        },
        {
          id: 3,
          body: "<!-- afu9:analysis -->",
          user: { login: "afu9[bot]", type: "Bot" },
          created_at: "2026-01-01T11:30:00Z",
        },
        {
          id: 4,
          body: "from an unknown user",
          user: { login: "ghost" },
          created_at: "2026-01-01T11:40:00Z",
        },
      ],
      detectStrategy: (strategyInput) => {
        seen = strategyInput.trustedComments;
        return PLAN;
      },
    });
    expect(interpretIssue(input).trustedComments).toEqual(["use the helper in utils.ts"]);
    expect(seen).toEqual(["use the helper in utils.ts"]);
  });
});

describe("issue state, pull requests and the repository", () => {
  it("a locked issue is not actionable", () => {
    const input = scenario({ issue: { ...scenario().issue, locked: true } });
    expect(statusOf(input, "issue")).toBe("fail");
    expect(interpretIssue(input).analysis.actionable).toBe(false);
  });

  it("a closed issue is not actionable", () => {
    expect(statusOf(scenario({ issue: { ...scenario().issue, state: "closed" } }), "issue")).toBe(
      "fail",
    );
  });

  it("a pull request (issue object with pull_request) is not actionable", () => {
    const input = scenario({
      issue: { ...scenario().issue, pull_request: { url: "https://api.github.com/pulls/12" } },
    });
    expect(interpretIssue(input).checks.find((c) => c.rule === "issue")?.detail).toBe(
      "this is a pull request, not an issue",
    );
    expect(interpretIssue(input).analysis.actionable).toBe(false);
  });

  it("an open AFU-9 pull request for the issue blocks a second one", () => {
    const input = scenario({ openPullRequests: [41] });
    expect(interpretIssue(input).checks.find((c) => c.rule === "pull-request")).toEqual({
      rule: "pull-request",
      status: "fail",
      detail: "AFU-9 pull request #41 (branch afu9/issue-12) is already open",
    });
    expect(interpretIssue(input).analysis.actionable).toBe(false);
  });

  it("a repository with enabled: false is not actionable", () => {
    const input = scenario({ config: parseRepoConfig("enabled: false") });
    expect(statusOf(input, "repository")).toBe("fail");
    expect(interpretIssue(input).analysis.actionable).toBe(false);
  });

  it("a repository without .github/afu9.yml has not opted in", () => {
    const input = scenario({ config: parseRepoConfig(null) });
    expect(statusOf(input, "repository")).toBe("fail");
    expect(interpretIssue(input).analysis.config).toBeNull();
  });

  it("an invalid config names the bad key and is not actionable", () => {
    const input = scenario({ config: parseRepoConfig("automerge: yes please") });
    const result = interpretIssue(input);
    expect(result.checks[0]).toEqual({
      rule: "repository",
      status: "fail",
      detail:
        '.github/afu9.yml is invalid at key "automerge": must be true, false or a mapping of ' +
        "enabled (true|false) and requireApproval (true|false)",
    });
    expect(result.analysis.actionable).toBe(false);
    expect(result.analysis.config).toBeNull();
  });
});

describe("offline (nothing but the issue known)", () => {
  it("reports the labeller and their permission as unknown and is never actionable", () => {
    const result = interpretIssue(
      scenario({
        config: "unknown",
        events: "unknown",
        comments: "unknown",
        permissions: {},
        openPullRequests: "unknown",
        delivery: "unknown",
      }),
    );
    expect(result.trigger).toMatchObject({
      labelPresent: true,
      labelledBy: "unknown",
      labellerPermission: "unknown",
      authorPermission: "unknown",
    });
    expect(result.checks.map((c) => c.status)).toEqual([
      "unknown",
      "pass",
      "unknown",
      "unknown",
      "unknown",
      "pass",
    ]);
    expect(result.analysis.actionable).toBe(false);
  });
});
