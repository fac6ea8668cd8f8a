// `.github/afu9.yml` on the default branch: the repository's opt-in and its settings. Parsed with
// `yaml`, validated with zod (schema built per call: closure rules forbid module-level package
// values), defaults filled. Unknown keys are errors, so a typo ("automerg: true") is reported instead
// of silently leaving the safe default in place.
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import type { IssueType, RepoConfig } from "../../contract/state";
import { buildNotifyConfigSchema, defaultNotifyConfig } from "./notify-config";

export const REPO_CONFIG_PATH = ".github/afu9.yml";

export const ISSUE_TYPES: readonly IssueType[] = [
  "bug",
  "feature",
  "docs",
  "chore",
  "question",
  "security",
];

/** Label names (lower case) mapped to a type out of the box; the repo's `labelMapping` adds to it. */
export const DEFAULT_LABEL_MAPPING: Readonly<Record<string, IssueType>> = {
  bug: "bug",
  "kind/bug": "bug",
  "type: bug": "bug",
  defect: "bug",
  regression: "bug",
  crash: "bug",
  fehler: "bug",
  enhancement: "feature",
  feature: "feature",
  "feature request": "feature",
  "kind/feature": "feature",
  "type: feature": "feature",
  documentation: "docs",
  docs: "docs",
  "kind/documentation": "docs",
  dokumentation: "docs",
  chore: "chore",
  dependencies: "chore",
  maintenance: "chore",
  ci: "chore",
  refactor: "chore",
  question: "question",
  "kind/question": "question",
  frage: "question",
  support: "question",
  security: "security",
  "kind/security": "security",
  vulnerability: "security",
};

/** Repair rounds when the repository does not say (they run only when AI is on for the stack). */
export const DEFAULT_REPAIR_ROUNDS = 2;
/** More rounds than this rarely fix what the first ones did not, and cost tokens each. */
export const MAX_REPAIR_ROUNDS = 5;

export function defaultRepoConfig(): RepoConfig {
  return {
    enabled: true,
    triggerLabel: "afu9",
    autoTriggerForWriters: false,
    labelMapping: {},
    applyLabels: true,
    automerge: false,
    requireApproval: false,
    mergeMethod: "squash",
    deleteBranchAfterMerge: true,
    mergeWithoutCi: false,
    protectedPaths: [".github/**"],
    limits: { files: 10, lines: 400 },
    dryRun: false,
    repair: { maxRounds: DEFAULT_REPAIR_ROUNDS },
    notify: defaultNotifyConfig(),
  };
}

export type RepoConfigResult =
  | { status: "ok"; config: RepoConfig }
  /** No `.github/afu9.yml` on the default branch: the repository has not opted in. */
  | { status: "missing" }
  | { status: "invalid"; key: string; message: string };

/** What `automerge:` may be: the message of every value that is neither form. */
export const AUTOMERGE_FORMS =
  "must be true, false or a mapping of enabled (true|false) and requireApproval (true|false)";

/**
 * `automerge: true|false`, or the mapping `{ enabled?, requireApproval? }` in which auto-merge is
 * on unless `enabled: false` (writing the mapping means the repository wants AFU-9 to merge).
 */
function buildAutomergeSchema() {
  return z.union(
    [
      z.boolean(),
      z.strictObject({
        enabled: z.boolean().default(true),
        requireApproval: z.boolean().default(false),
      }),
    ],
    { error: AUTOMERGE_FORMS },
  );
}

function buildRepoConfigSchema() {
  const d = defaultRepoConfig();
  const issueType = z.enum(["bug", "feature", "docs", "chore", "question", "security"]);
  return z.strictObject({
    enabled: z.boolean().default(d.enabled),
    triggerLabel: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .refine((s) => !s.includes(","), "label names cannot contain ','")
      .default(d.triggerLabel),
    autoTriggerForWriters: z.boolean().default(d.autoTriggerForWriters),
    labelMapping: z.record(z.string().min(1), issueType).default(d.labelMapping),
    applyLabels: z.boolean().default(d.applyLabels),
    automerge: buildAutomergeSchema().default(d.automerge),
    mergeMethod: z.enum(["merge", "squash", "rebase"]).default(d.mergeMethod),
    deleteBranchAfterMerge: z.boolean().default(d.deleteBranchAfterMerge),
    mergeWithoutCi: z.boolean().default(d.mergeWithoutCi),
    protectedPaths: z.array(z.string().min(1)).default(d.protectedPaths),
    limits: z
      .strictObject({
        files: z.number().int().min(1).max(1000).default(d.limits.files),
        lines: z.number().int().min(1).max(100000).default(d.limits.lines),
      })
      .default(d.limits),
    dryRun: z.boolean().default(d.dryRun),
    repair: z
      .strictObject({
        maxRounds: z.number().int().min(0).max(MAX_REPAIR_ROUNDS).default(DEFAULT_REPAIR_ROUNDS),
      })
      .default({ maxRounds: DEFAULT_REPAIR_ROUNDS }),
    notify: buildNotifyConfigSchema(),
  });
}

/** Parses and validates the file's text. `null` text means the file does not exist. */
export function parseRepoConfig(text: string | null): RepoConfigResult {
  if (text === null) return { status: "missing" };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { status: "invalid", key: "(file)", message: `not valid YAML: ${why}` };
  }
  // An empty file opts in with every default.
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { status: "invalid", key: "(file)", message: "must be a YAML mapping (key: value)" };
  }
  const result = buildRepoConfigSchema().safeParse(raw);
  if (result.success) {
    const { automerge, ...rest } = result.data;
    const merge =
      typeof automerge === "boolean" ? { enabled: automerge, requireApproval: false } : automerge;
    const config: RepoConfig = {
      ...rest,
      automerge: merge.enabled,
      requireApproval: merge.requireApproval,
    };
    return { status: "ok", config };
  }
  const issue = innermostIssue(result.error.issues[0]);
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.map(String).join(".");
    const key = prefix ? `${prefix}.${issue.keys[0]}` : issue.keys[0];
    return { status: "invalid", key, message: "unknown key (check the spelling)" };
  }
  return {
    status: "invalid",
    key: issue.path.map(String).join(".") || "(file)",
    message: issue.message,
  };
}

type Issue = z.core.$ZodIssue;

/**
 * A union's issue says only that no form matched; when one form (the mapping) got as far as its
 * own fields, that form's first issue names the field that is wrong (`automerge.requireApproval`).
 */
function innermostIssue(issue: Issue): Issue {
  if (issue.code !== "invalid_union") return issue;
  const branch = issue.errors.find((issues) =>
    issues.some((i) => i.path.length > 0 || i.code === "unrecognized_keys"),
  );
  if (!branch) return issue;
  const inner = branch.find((i) => i.path.length > 0 || i.code === "unrecognized_keys")!;
  return innermostIssue({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

/** The built-in label mapping with the repository's additions (keys compared in lower case). */
export function effectiveLabelMapping(config: RepoConfig | null): Record<string, IssueType> {
  const mapping: Record<string, IssueType> = { ...DEFAULT_LABEL_MAPPING };
  for (const [label, type] of Object.entries(config?.labelMapping ?? {})) {
    mapping[label.toLowerCase()] = type;
  }
  return mapping;
}

/** Repair rounds this run may use: 0 when AI is off for the stack, else the repository's setting. */
export function effectiveRepairRounds(config: RepoConfig | null, aiEnabled: boolean): number {
  if (!aiEnabled) return 0;
  return config?.repair?.maxRounds ?? DEFAULT_REPAIR_ROUNDS;
}
