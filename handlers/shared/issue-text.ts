// The issue travels through the state machine by reference: its number, its title (GitHub caps it
// at 256 characters) and this hash of the text the trust rule compares, never the body (up to
// 256 KB, which alone would exceed Step Functions' input limit). Tasks read the text from GitHub
// and compare its hash with the one the run was started or analysed with.
import { createHash } from "node:crypto";

/** SHA-256 (hex) of an issue's title and body, unambiguous about where one ends. */
export function issueTextSha256(title: string, body: string | null | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([title, body ?? ""]), "utf8")
    .digest("hex");
}
