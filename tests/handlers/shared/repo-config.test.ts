import {
  defaultRepoConfig,
  effectiveLabelMapping,
  parseRepoConfig,
} from "../../../handlers/shared/repo-config";

describe(".github/afu9.yml", () => {
  it("missing file: the repository has not opted in", () => {
    expect(parseRepoConfig(null)).toEqual({ status: "missing" });
  });

  it("an empty file opts in with every default", () => {
    expect(parseRepoConfig("")).toEqual({ status: "ok", config: defaultRepoConfig() });
  });

  it("defaults are the safe ones: no automerge, no auto-trigger, .github protected", () => {
    const d = defaultRepoConfig();
    expect(d).toMatchObject({
      enabled: true,
      triggerLabel: "afu9",
      autoTriggerForWriters: false,
      automerge: false,
      mergeWithoutCi: false,
      dryRun: false,
    });
    expect(d.protectedPaths).toContain(".github/**");
  });

  it("fills nested defaults and keeps what is set", () => {
    const result = parseRepoConfig(
      [
        "triggerLabel: autofix",
        "automerge: true",
        "mergeMethod: rebase",
        "limits:",
        "  files: 3",
        "labelMapping:",
        "  kind/crash: bug",
      ].join("\n"),
    );
    expect(result).toEqual({
      status: "ok",
      config: {
        ...defaultRepoConfig(),
        triggerLabel: "autofix",
        automerge: true,
        mergeMethod: "rebase",
        limits: { files: 3, lines: defaultRepoConfig().limits.lines },
        labelMapping: { "kind/crash": "bug" },
      },
    });
  });

  it.each([
    ["automerg: true", "automerg", "unknown key (check the spelling)"],
    ["limits:\n  filez: 3", "limits.filez", "unknown key (check the spelling)"],
    ["limits:\n  files: 0", "limits.files", "Too small: expected number to be >=1"],
    [
      "mergeMethod: fast-forward",
      "mergeMethod",
      'Invalid option: expected one of "merge"|"squash"|"rebase"',
    ],
    ["enabled: yes please", "enabled", "Invalid input: expected boolean, received string"],
    [
      "labelMapping:\n  crash: crashy",
      "labelMapping.crash",
      expect.stringContaining("Invalid option"),
    ],
    ["triggerLabel: ''", "triggerLabel", expect.stringContaining("Too small")],
    ["- a\n- b", "(file)", "must be a YAML mapping (key: value)"],
    ["enabled: [", "(file)", expect.stringContaining("not valid YAML")],
  ])("%j is invalid at %s", (text, key, message) => {
    expect(parseRepoConfig(text)).toEqual({ status: "invalid", key, message });
  });

  it("label mapping: built-in names plus the repository's, case-insensitive", () => {
    const config = { ...defaultRepoConfig(), labelMapping: { "Kind/Crash": "bug" as const } };
    const mapping = effectiveLabelMapping(config);
    expect(mapping["kind/crash"]).toBe("bug");
    expect(mapping.enhancement).toBe("feature");
  });
});

describe("notify section", () => {
  it("defaults to every outcome for every stack destination", () => {
    const result = parseRepoConfig("");
    expect(result.status === "ok" && result.config.notify).toEqual({
      enabled: true,
      outcomes: [
        "merged",
        "ci-failed",
        "repair-exhausted",
        "timed-out",
        "needs-approval",
        "failed",
      ],
    });
  });

  it("takes per-destination outcomes and an opt-out", () => {
    const result = parseRepoConfig(
      "notify:\n  enabled: false\n  destinations:\n    team-chat: [merged, ci-failed]\n",
    );
    expect(result.status === "ok" && result.config.notify).toMatchObject({
      enabled: false,
      destinations: { "team-chat": ["merged", "ci-failed"] },
    });
  });

  it("names unknown keys, unknown outcomes and bad destination names", () => {
    expect(parseRepoConfig("notify:\n  channel: x\n")).toEqual({
      status: "invalid",
      key: "notify.channel",
      message: "unknown key (check the spelling)",
    });
    const outcome = parseRepoConfig("notify:\n  outcomes: [merged, exploded]\n");
    expect(outcome).toMatchObject({ status: "invalid", key: "notify.outcomes.1" });
    const name = parseRepoConfig("notify:\n  destinations:\n    Team Chat: [merged]\n");
    expect(name).toMatchObject({ status: "invalid", key: "notify.destinations.Team Chat" });
  });
});

describe("automerge and requireApproval", () => {
  function config(text: string) {
    const result = parseRepoConfig(text);
    if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
    return { automerge: result.config.automerge, requireApproval: result.config.requireApproval };
  }

  it("defaults: no auto-merge, no approval required", () => {
    expect(config("")).toEqual({ automerge: false, requireApproval: false });
  });

  it("automerge: true|false keeps working, approval not required", () => {
    expect(config("automerge: true")).toEqual({ automerge: true, requireApproval: false });
    expect(config("automerge: false")).toEqual({ automerge: false, requireApproval: false });
  });

  it("the mapping form turns auto-merge on unless enabled: false", () => {
    expect(config("automerge:\n  requireApproval: true")).toEqual({
      automerge: true,
      requireApproval: true,
    });
    expect(config("automerge: {}")).toEqual({ automerge: true, requireApproval: false });
    expect(config("automerge:\n  enabled: false\n  requireApproval: true")).toEqual({
      automerge: false,
      requireApproval: true,
    });
  });

  it.each([
    [
      "automerge: yes",
      "automerge",
      "must be true, false or a mapping of enabled (true|false) and requireApproval (true|false)",
    ],
    [
      "automerge: [true]",
      "automerge",
      "must be true, false or a mapping of enabled (true|false) and requireApproval (true|false)",
    ],
    [
      "automerge:\n  requireApprovals: true",
      "automerge.requireApprovals",
      "unknown key (check the spelling)",
    ],
    [
      "automerge:\n  requireApproval: 'yes'",
      "automerge.requireApproval",
      "Invalid input: expected boolean, received string",
    ],
    [
      "automerge:\n  enabled: 1",
      "automerge.enabled",
      "Invalid input: expected boolean, received number",
    ],
  ])("%j is refused at %s", (text, key, message) => {
    expect(parseRepoConfig(text)).toEqual({ status: "invalid", key, message });
  });
});
