// ValidatePatch's rules over a change set (old and new content of every changed path). Pure: the
// Lambda builds the change set from the patch commit and its base, the CLI from the checkout.
// Every rule reports each offending path, so the comment can list all of them at once.
import type { RepoConfig, Violation } from "../../contract/state";
import { isSafeRepoPath } from "../patch-text/safe-path";
import type { FileChange } from "./change-set";
import { matchesAnyGlob } from "./glob";
import {
  findBidiControls,
  hiddenCharactersIn,
  revealHiddenCharacters,
} from "../patch-text/hidden-characters";
import { addedLines, countChanges } from "./line-diff";
import { findSecrets } from "./secret-scan";
import { checkSyntax } from "./syntax-check";

/** Rule names, as they appear in the violations comment. */
export const RULES = {
  empty: "empty",
  pathOutsideRepo: "path-outside-repo",
  hiddenCharacters: "hidden-characters-in-path",
  pathThroughSymlink: "path-through-symlink",
  pathInSubmodule: "path-in-submodule",
  symlink: "symlink",
  submodule: "submodule",
  workflow: "workflow-file",
  protectedPath: "protected-path",
  tooManyFiles: "too-many-files",
  tooManyLines: "too-many-lines",
  json: "json-syntax",
  yaml: "yaml-syntax",
  packageJson: "package-json",
  js: "js-syntax",
  secret: "secret",
  trojanSource: "trojan-source",
  baseMoved: "base-moved",
  commitParent: "commit-parent",
} as const;

/** Paths a patch never changes, whatever the repo config says: the factory's own settings. */
export const ALWAYS_PROTECTED = [".github/afu9.yml", ".github/afu9.yaml"];

export interface ValidationLimits {
  protectedPaths: string[];
  limits: { files: number; lines: number };
}

export function limitsFromConfig(
  config: RepoConfig | null,
  fallback: ValidationLimits,
): ValidationLimits {
  return config ? { protectedPaths: config.protectedPaths, limits: config.limits } : fallback;
}

const WORKFLOWS = /^\.github\/workflows\//i;

/**
 * The mode of the entry at a path in the base tree ("120000" symlink, "160000" submodule, "100644"
 * file...), undefined when the base tree has no such entry or it is a directory.
 */
export type BaseTreeModes = (path: string) => string | undefined;

/** Rules about where a path leads and how it reads, before anything is written there. */
function pathViolations(path: string, baseTree: BaseTreeModes): Violation[] {
  const violations: Violation[] = [];
  if (!isSafeRepoPath(path)) {
    violations.push({
      rule: RULES.pathOutsideRepo,
      path,
      message: "path leaves the repository (absolute, '..', '.git' or backslash)",
    });
  }
  const hidden = hiddenCharactersIn(path);
  if (hidden.length > 0) {
    violations.push({
      rule: RULES.hiddenCharacters,
      path: revealHiddenCharacters(path),
      message: `path contains control or bidirectional characters (${hidden.join(", ")}) that make it read as another name`,
    });
  }
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    const parent = parts.slice(0, depth).join("/");
    const mode = baseTree(parent);
    if (mode === "120000") {
      violations.push({
        rule: RULES.pathThroughSymlink,
        path,
        message: `${parent} is a symbolic link in the base tree: writing through it could leave the repository`,
      });
      break;
    }
    if (mode === "160000") {
      violations.push({
        rule: RULES.pathInSubmodule,
        path,
        message: `${parent} is a submodule in the base tree: its files belong to another repository`,
      });
      break;
    }
  }
  return violations;
}

function pathsOf(change: FileChange): string[] {
  return change.previousPath ? [change.previousPath, change.path] : [change.path];
}

function syntaxRule(kind: string): string {
  return kind === "json"
    ? RULES.json
    : kind === "yaml"
      ? RULES.yaml
      : kind === "package-json"
        ? RULES.packageJson
        : RULES.js;
}

export function validateChanges(
  changes: FileChange[],
  settings: ValidationLimits,
  baseTree: BaseTreeModes,
): Violation[] {
  const violations: Violation[] = [];
  if (changes.length === 0) {
    return [{ rule: RULES.empty, message: "the patch changes nothing" }];
  }
  let changedLines = 0;
  for (const change of changes) {
    for (const path of pathsOf(change)) violations.push(...pathViolations(path, baseTree));
    const newMode = change.newFile?.mode;
    if (newMode === "120000") {
      violations.push({
        rule: RULES.symlink,
        path: change.path,
        message: "creates or changes a symbolic link (could point outside the repository)",
      });
    }
    if (newMode === "160000" || change.oldFile?.mode === "160000") {
      violations.push({
        rule: RULES.submodule,
        path: change.path,
        message: "changes a submodule (it pins code from another repository)",
      });
    }
    if (pathsOf(change).some((path) => WORKFLOWS.test(path))) {
      violations.push({
        rule: RULES.workflow,
        path: change.path,
        message:
          "changes a GitHub Actions workflow: CI changes are never automatic (and need the workflows permission)",
      });
    } else {
      for (const path of pathsOf(change)) {
        const always = matchesAnyGlob(path, ALWAYS_PROTECTED);
        const pattern = always ?? matchesAnyGlob(path, settings.protectedPaths);
        if (pattern) {
          violations.push({
            rule: RULES.protectedPath,
            path,
            message: always
              ? "AFU-9's own configuration is never changed by a patch"
              : `protected by "${pattern}" in .github/afu9.yml protectedPaths`,
          });
          break;
        }
      }
    }
    const oldText = change.oldFile?.content ?? "";
    const newText = change.newFile?.content ?? "";
    const counts = countChanges(oldText, newText);
    changedLines += counts.additions + counts.deletions;
    if (change.newFile && newMode !== "120000" && newMode !== "160000") {
      const problem = checkSyntax(change.path, newText);
      // A file that did not parse before the patch is not this patch's fault.
      const wasBroken =
        change.oldFile !== null &&
        checkSyntax(change.previousPath ?? change.path, oldText) !== null;
      if (problem && !wasBroken) {
        violations.push({
          rule: syntaxRule(problem.kind),
          path: change.path,
          message: problem.error,
        });
      }
      const added = addedLines(oldText, newText);
      for (const finding of findBidiControls(added)) {
        violations.push({
          rule: RULES.trojanSource,
          path: change.path,
          message: `line ${finding.line} adds bidirectional control characters (${finding.characters.join(", ")}): the code reads differently from what it does`,
        });
      }
      for (const finding of findSecrets(added)) {
        violations.push({
          rule: RULES.secret,
          path: change.path,
          message: `line ${finding.line} adds a secret (${finding.kind}: ${finding.masked})`,
        });
      }
    }
  }
  if (changes.length > settings.limits.files) {
    violations.push({
      rule: RULES.tooManyFiles,
      message: `changes ${changes.length} files; the limit is ${settings.limits.files} (limits.files in .github/afu9.yml)`,
    });
  }
  if (changedLines > settings.limits.lines) {
    violations.push({
      rule: RULES.tooManyLines,
      message: `changes ${changedLines} lines (added + removed); the limit is ${settings.limits.lines} (limits.lines in .github/afu9.yml)`,
    });
  }
  return violations;
}
