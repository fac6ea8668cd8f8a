// A repair must make CI pass by fixing code, not by deleting or weakening the tests that judge
// it. A repair may change a test file only when the factory's own patch created that file.
import type { Violation } from "../../../contract/state";
import type { FileChange } from "../change-set";

const TEST_PATH =
  /(^|\/)(__tests__|tests?|spec|specs)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]+\.py$|_test\.(py|go|rb)$|_spec\.rb$|Tests?\.(java|kt|cs)$/i;

export const TESTS_WEAKENED_RULE = "tests-weakened";

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

export function testWeakeningViolations(changes: FileChange[], ownTests: string[]): Violation[] {
  const violations: Violation[] = [];
  for (const change of changes) {
    const before = change.previousPath ?? change.path;
    if (change.oldFile === null || !isTestPath(before) || ownTests.includes(before)) continue;
    violations.push({
      rule: TESTS_WEAKENED_RULE,
      path: before,
      message:
        change.newFile === null
          ? "deletes an existing test file"
          : "changes an existing test the factory's patch did not create",
    });
  }
  return violations;
}
