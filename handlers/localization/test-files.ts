// Test files are ranked in their own list: a fix's test is worth naming, but tests mention the
// code under test so often that they would crowd the source files out of a shared top five.
const TEST_PATH =
  /(^|\/)(tests?|__tests__|__mocks__|spec|specs|testing|e2e|fixtures?)\/|(\.|_|-)(test|spec)s?\.[A-Za-z0-9]+$|(^|\/)test_[^/]+\.py$|_test\.go$|(^|\/)conftest\.py$/i;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}
