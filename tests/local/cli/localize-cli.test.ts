// `npx afu9 localize` as a user runs it (the bin script, a fresh process) on a real git checkout.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { initRepo, removeDir, tempDir } from "../../handlers/patch-generator/git-fixture";
import { REPO_ROOT } from "../../support/repo-root";

const ROOT = REPO_ROOT;
const file = (content: string) => ({ content, mode: "100644" });

function afu9(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "bin", "afu9.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("afu9 localize", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  const checkout = () => {
    const dir = initRepo({
      "src/auth/token.ts": file(
        "export function refreshToken(session: Session): string | null {\n  return session.expiresAt > Date.now() ? sign(session) : null;\n}\n",
      ),
      "src/auth/session.ts": file(
        "export interface Session { id: string; expiresAt: number }\nexport function expire(session: Session) {\n  session.expiresAt = 0;\n}\n",
      ),
      "src/auth/login.ts": file(
        "import { refreshToken } from './token';\nexport async function login(user: { session: Session }) {\n  return refreshToken(user.session);\n}\n",
      ),
      "src/ui/button.ts": file("export const Button = () => null;\n"),
      "test/auth/token.test.ts": file(
        "import { refreshToken } from '../../src/auth/token';\ntest('refreshToken', () => {});\n",
      ),
      "README.md": file("# app\n\nLogin and sessions.\n"),
    });
    dirs.push(dir);
    return dir;
  };
  const issue = (content: object | string) => {
    const dir = tempDir("issue");
    dirs.push(dir);
    const path = join(dir, typeof content === "string" ? "issue.md" : "issue.json");
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  const REFRESH = {
    number: 12,
    title: "Session tokens expire immediately after login",
    body: "After logging in, every request fails with 401 within a second. refreshToken seems to return null.",
  };

  it("--json ranks src/auth/token.ts first, with a reason naming refreshToken", () => {
    const run = afu9(["localize", "--repo", checkout(), "--issue", issue(REFRESH), "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      files: Array<{ path: string; score: number; reasons: string[] }>;
      tests: Array<{ path: string }>;
    };
    expect(out.files[0].path).toBe("src/auth/token.ts");
    expect(out.files[0].reasons).toContain("defines `refreshToken`");
    expect(out.files[0].score).toBeGreaterThan(out.files[1].score);
    expect(out.files.map((f) => f.path)).not.toContain("test/auth/token.test.ts");
    expect(out.tests[0].path).toBe("test/auth/token.test.ts");
  });

  it("prints a readable list, honours --top, and reads a Markdown issue", () => {
    const markdown = `# ${REFRESH.title}\n\n${REFRESH.body}\n`;
    const run = afu9(["localize", "--repo", checkout(), "--issue", issue(markdown), "--top", "1"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^Files\n {2}1\. src\/auth\/token\.ts {2}\([\d.]+\)\n.*defines `refreshToken`/,
    );
    expect(run.stdout).not.toContain("  2. ");
  });

  it("refuses bad arguments with exit code 2 and says what is wrong", () => {
    const run = afu9(["localize", "--repo", checkout(), "--issue", issue(REFRESH), "--top", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--top needs a whole number >= 1, got "0"');
    expect(afu9(["localize", "--issue", "x.json"]).stderr).toContain(
      "--repo and --issue are required",
    );
  });
});
