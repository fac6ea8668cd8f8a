// The body of POST /sandbox/issues (what the printed "file an issue" command sends), checked field
// by field: a wrong field is a 400 naming it, never an issue filed with something else.

export interface FileIssueRequest {
  title: string;
  body: string;
  user?: string;
  labels?: string[];
  ci?: "success" | "failure" | "repair";
}

const CI_OUTCOMES = ["success", "failure", "repair"];
/** GitHub logins: alphanumerics and single hyphens, at most 39 characters. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export const FILE_ISSUE_USAGE =
  'send {"title": "...", "body": "...", "user"?: "login", "labels"?: ["afu9"], "ci"?: "success" | "failure" | "repair"}';

/** The request, or the message naming the first wrong field. */
export function parseFileIssueRequest(raw: unknown): FileIssueRequest | { error: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { error: `the body must be a JSON object: ${FILE_ISSUE_USAGE}` };
  }
  const input = raw as Record<string, unknown>;
  const known = ["title", "body", "user", "labels", "ci"];
  const unknown = Object.keys(input).find((key) => !known.includes(key));
  if (unknown) return { error: `unknown field "${unknown}": ${FILE_ISSUE_USAGE}` };
  if (typeof input.title !== "string" || input.title.trim() === "") {
    return { error: '"title" must be a non-empty string' };
  }
  if (typeof input.body !== "string") return { error: '"body" must be a string' };
  const request: FileIssueRequest = { title: input.title, body: input.body };
  if (input.user !== undefined) {
    if (typeof input.user !== "string" || !LOGIN.test(input.user)) {
      return { error: '"user" must be a GitHub login (letters, digits, single hyphens)' };
    }
    request.user = input.user;
  }
  if (input.labels !== undefined) {
    if (
      !Array.isArray(input.labels) ||
      !input.labels.every((label) => typeof label === "string" && label.trim() !== "")
    ) {
      return { error: '"labels" must be an array of non-empty strings, e.g. ["afu9"]' };
    }
    request.labels = input.labels as string[];
  }
  if (input.ci !== undefined) {
    if (typeof input.ci !== "string" || !CI_OUTCOMES.includes(input.ci)) {
      return { error: `"ci" must be one of ${CI_OUTCOMES.map((o) => `"${o}"`).join(", ")}` };
    }
    request.ci = input.ci as FileIssueRequest["ci"];
  }
  return request;
}
