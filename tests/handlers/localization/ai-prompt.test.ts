// The AI strategy is shown what the localization engine found: the top-ranked files in full and a
// compact map of the rest of the tree, asserted on the prompt a local OpenAI-compatible server
// receives.
import {
  createAiChangeSource,
  type AiLimits,
} from "../../../handlers/patch-generator/ai/ai-strategy";
import { createOpenAiCompatibleProvider } from "../../../handlers/patch-generator/ai/openai-compatible";
import { generateChanges } from "../../../handlers/patch-generator/generate-changes";
import { memoryRepo } from "../patch-generator/memory-repo";
import { startModelServer } from "../../../local/model-server";

const limits: AiLimits = {
  maxCalls: 1,
  maxTokens: 50_000,
  maxOutputTokens: 1024,
  maxFiles: 2,
  maxFileBytes: 10_000,
};

const repoFiles: Record<string, string> = {
  "src/auth/token.ts":
    "export function refreshToken(session: { expiresAt: number }): string | null {\n  return session.expiresAt < Date.now() ? 'fresh' : null;\n}\n",
  "src/auth/login.ts":
    "import { refreshToken } from './token';\nexport function login(session: { expiresAt: number }) {\n  return refreshToken(session);\n}\n",
  "src/ui/button.ts": "export const Button = () => null;\n",
  "src/ui/theme.ts": "export const theme = { color: 'blue' };\n",
  "docs/setup.md": "# Setup\n",
  "test/auth/token.test.ts": "import { refreshToken } from '../../src/auth/token';\n",
};

const ANSWER =
  "src/auth/token.ts\n<<<<<<< SEARCH\n  return session.expiresAt < Date.now() ? 'fresh' : null;\n=======\n  return session.expiresAt > Date.now() ? 'fresh' : null;\n>>>>>>> REPLACE\n";

describe("AI prompt context", () => {
  let server: Awaited<ReturnType<typeof startModelServer>>;
  afterEach(async () => server?.close());

  it("contains the top files in full and a map of the rest of the tree", async () => {
    server = await startModelServer([ANSWER]);
    const provider = createOpenAiCompatibleProvider({
      url: server.url,
      model: "local-model",
      apiKey: async () => "sk-test",
      timeoutMs: 5000,
    });
    const result = await generateChanges(
      {
        title: "Session tokens expire immediately after login",
        body: "refreshToken seems to return null.",
        trustedComments: [],
        aiEnabled: true,
      },
      memoryRepo(repoFiles),
      { ai: createAiChangeSource(provider, limits) },
    );
    expect(result.changes.map((c) => c.path)).toEqual(["src/auth/token.ts"]);

    const prompt = server.requests[0].body.messages[1].content;
    const sections = prompt.split("\n").filter((line) => line.startsWith("## "));
    expect(sections[0]).toMatch(/^## src\/auth\/token\.ts \(.*defines `refreshToken`/);
    expect(prompt).toContain(repoFiles["src/auth/token.ts"]);
    expect(prompt).not.toContain("## src/ui/button.ts");
    expect(prompt).toContain("# Repository map (6 files;");
    expect(prompt).toContain("src/auth/ (2): login.ts (shown above), token.ts (shown above)");
    expect(prompt).toContain("src/ui/ (2): button.ts, theme.ts");
    expect(prompt).toContain("test/auth/ (1): token.test.ts");
  });
});
