// Strategies 1, 2 and 4: which one an issue selects, what each produces, and how each refuses.
import { formatChangeSet } from "../../../handlers/patch-generator/change-set";
import {
  detectPatchStrategy,
  type StrategyInput,
} from "../../../handlers/patch-text/detect-strategy";
import { parseEditInstructions } from "../../../handlers/patch-text/edit-instructions";
import { generateChanges } from "../../../handlers/patch-generator/generate-changes";
import { memoryRepo } from "./memory-repo";

const issue = (body: string, trustedComments: string[] = []): StrategyInput => ({
  title: "Fix the greeting",
  body,
  trustedComments,
});

const FENCE = "```";

const greeting = "export function greet(name: string): string {\n  return `Hello ${name}`;\n}\n";
const repo = () =>
  memoryRepo({
    "src/greet.ts": greeting,
    "src/win.txt": "one\r\ntwo\r\nthree\r\n",
    "README.md": "# Demo\n\nSays hello.\n",
    "docs/guide.md": "Guide\n",
  });

const diffBlock = `${FENCE}diff
diff --git a/src/greet.ts b/src/greet.ts
--- a/src/greet.ts
+++ b/src/greet.ts
@@ -1,3 +1,3 @@
 export function greet(name: string): string {
-  return \`Hello \${name}\`;
+  return \`Hello, \${name}!\`;
 }
${FENCE}
`;

describe("strategy 1: unified diff in the issue", () => {
  it("is detected with the files it touches and applied", async () => {
    const input = issue(`The greeting lacks punctuation.\n\n${diffBlock}`);
    expect(detectPatchStrategy(input)).toEqual({
      strategy: "unified-diff",
      files: ["src/greet.ts"],
    });
    const result = await generateChanges(input, repo());
    expect(result.strategy).toBe("unified-diff");
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0].newFile?.content).toContain("Hello, ${name}!");
  });

  it("reads a diff typed into GitHub's editor (CRLF body) and keeps a CRLF file CRLF", async () => {
    const body = [
      "Please apply:",
      `${FENCE}patch`,
      "--- a/src/win.txt",
      "+++ b/src/win.txt",
      "@@ -1,3 +1,3 @@",
      " one",
      "-two",
      "+TWO",
      " three",
      FENCE,
      "",
    ].join("\r\n");
    const result = await generateChanges(issue(body), repo());
    expect(result.changes[0].newFile?.content).toBe("one\r\nTWO\r\nthree\r\n");
  });

  it("a trusted comment's diff supersedes the one in the body", async () => {
    const newer = diffBlock.replace("Hello, ${name}!", "Hi ${name}");
    const plan = detectPatchStrategy(issue(diffBlock, [newer]));
    expect(plan?.strategy).toBe("unified-diff");
    const result = await generateChanges(issue(diffBlock, [newer]), repo());
    expect(result.changes[0].newFile?.content).toContain("Hi ${name}");
  });

  it("a diff that does not apply is refused with the reason, nothing half-applied", async () => {
    const stale = diffBlock.replace(" export function greet", " export function welcome");
    await expect(generateChanges(issue(stale), repo())).rejects.toMatchObject({
      name: "AFU9.PatchDoesNotApply",
      message: expect.stringContaining("hunk #1 (@@ -1,3 +1,3 @@) of src/greet.ts does not apply"),
    });
  });

  it("a corrupt diff block still selects the strategy and fails with the parse error", async () => {
    const corrupt = diffBlock.replace("@@ -1,3 +1,3 @@", "@@ -1,5 +1,3 @@");
    expect(detectPatchStrategy(issue(corrupt))?.strategy).toBe("unified-diff");
    await expect(generateChanges(issue(corrupt), repo())).rejects.toMatchObject({
      name: "AFU9.PatchCorrupt",
      message: expect.stringContaining("corrupt patch"),
    });
  });
});

describe("strategy 2: edit instructions", () => {
  it("SEARCH/REPLACE block naming the file", async () => {
    const body = `Change this:\n\nsrc/greet.ts\n${FENCE}ts\n<<<<<<< SEARCH\n  return \`Hello \${name}\`;\n=======\n  return \`Hi \${name}\`;\n>>>>>>> REPLACE\n${FENCE}\n`;
    expect(detectPatchStrategy(issue(body))).toEqual({
      strategy: "edit-instructions",
      files: ["src/greet.ts"],
    });
    const result = await generateChanges(issue(body), repo());
    expect(result.changes[0].newFile?.content).toBe(greeting.replace("Hello", "Hi"));
  });

  it("SEARCH/REPLACE with the path as the fence's info string, on a CRLF file", async () => {
    const body = `${FENCE}src/win.txt\n<<<<<<< SEARCH\ntwo\n=======\n2\n>>>>>>> REPLACE\n${FENCE}\n`;
    const result = await generateChanges(issue(body), repo());
    expect(result.changes[0].newFile?.content).toBe("one\r\n2\r\nthree\r\n");
  });

  it.each([
    ["English", "Please replace `Hello` with `Howdy` in `src/greet.ts`."],
    ["English, path first", "In `src/greet.ts`, replace `Hello` with `Howdy`."],
    ["English, change ... to", "Change `Hello` to `Howdy` in the file `src/greet.ts`."],
    ["German", "Bitte ersetze `Hello` durch `Howdy` in `src/greet.ts`."],
    ["German, mit", "Ersetze `Hello` mit `Howdy` in der Datei `src/greet.ts`."],
    ["German, path first", "In `src/greet.ts` bitte `Hello` durch `Howdy` ersetzen."],
  ])("inline replacement (%s)", async (_name, body) => {
    expect(detectPatchStrategy(issue(body))).toEqual({
      strategy: "edit-instructions",
      files: ["src/greet.ts"],
    });
    const result = await generateChanges(issue(body), repo());
    expect(result.changes[0].newFile?.content).toBe(greeting.replace("Hello", "Howdy"));
  });

  it.each([
    ["English", "Create file `docs/faq.md` with:"],
    ["German", "Erstelle die Datei `docs/faq.md`:"],
    ["German, anlegen", "Lege eine neue Datei `docs/faq.md` an mit folgendem Inhalt:"],
  ])("create file (%s)", async (_name, sentence) => {
    const body = `${sentence}\n\n${FENCE}markdown\n# FAQ\n\nQ: Why?\n${FENCE}\n`;
    expect(detectPatchStrategy(issue(body))).toEqual({
      strategy: "edit-instructions",
      files: ["docs/faq.md"],
    });
    const result = await generateChanges(issue(body), repo());
    expect(result.changes).toEqual([
      expect.objectContaining({
        path: "docs/faq.md",
        change: "added",
        newFile: { content: "# FAQ\n\nQ: Why?\n", mode: "100644" },
      }),
    ]);
  });

  it("instructions inside code blocks are code, not instructions", () => {
    expect(
      parseEditInstructions(`${FENCE}\nreplace \`a\` with \`b\` in \`x.ts\`\n${FENCE}\n`),
    ).toEqual([]);
  });

  it.each([
    [
      "missing file",
      "Replace `a` with `b` in `src/missing.ts`.",
      /src\/missing\.ts does not exist/,
    ],
    [
      "text not found",
      "Replace `Goodbye` with `b` in `src/greet.ts`.",
      /`Goodbye` was not found in src\/greet\.ts/,
    ],
    [
      "SEARCH text not found",
      "src/greet.ts\n<<<<<<< SEARCH\n  return 1;\n=======\n  return 2;\n>>>>>>> REPLACE\n",
      /SEARCH text for src\/greet\.ts was not found/,
    ],
    [
      "create over an existing file",
      `Create file \`README.md\`:\n${FENCE}\nx\n${FENCE}\n`,
      /cannot create README\.md: it already exists/,
    ],
  ])("refuses: %s", async (_name, body, message) => {
    await expect(generateChanges(issue(body), repo())).rejects.toMatchObject({
      name: "AFU9.PatchDoesNotApply",
      message: expect.stringMatching(message),
    });
  });

  it("refuses a SEARCH text that occurs twice", async () => {
    const files = memoryRepo({ "a.txt": "x\ny\nx\n" });
    const body = "a.txt\n<<<<<<< SEARCH\nx\n=======\nz\n>>>>>>> REPLACE\n";
    await expect(generateChanges(issue(body), files)).rejects.toThrow(/occurs 2 times/);
  });

  it.each([
    [
      "no divider",
      "src/greet.ts\n<<<<<<< SEARCH\nHello\n>>>>>>> REPLACE\n",
      /no "=======" divider/,
    ],
    ["no end", "src/greet.ts\n<<<<<<< SEARCH\nHello\n=======\nHi\n", /no ">>>>>>> REPLACE" end/],
    [
      "no path",
      "Some prose.\n\n<<<<<<< SEARCH\nHello\n=======\nHi\n>>>>>>> REPLACE\n",
      /put the file path/,
    ],
    ["stray end marker", "x\n>>>>>>> REPLACE\n", /without "<<<<<<< SEARCH"/],
  ])("malformed SEARCH/REPLACE block (%s) is refused", async (_name, body, message) => {
    expect(detectPatchStrategy(issue(body))?.strategy).toBe("edit-instructions");
    await expect(generateChanges(issue(body), repo())).rejects.toMatchObject({
      name: "AFU9.PatchCorrupt",
      message: expect.stringMatching(message),
    });
  });
});

describe("nothing applies", () => {
  const vague = issue("The greeting in greet.ts feels unfriendly; see `greet()` in src/greet.ts:2");

  it("no strategy: detect returns null and generation says why", async () => {
    expect(detectPatchStrategy(vague)).toBeNull();
    await expect(generateChanges(vague, repo())).rejects.toMatchObject({
      name: "AFU9.NoPatchStrategy",
    });
  });

  it("AI applies only when enabled, naming likely files", () => {
    expect(
      detectPatchStrategy({ ...vague, aiEnabled: true, repoFiles: ["src/greet.ts", "README.md"] }),
    ).toEqual({
      strategy: "ai",
      files: ["src/greet.ts"],
    });
  });
});

describe("printing", () => {
  it("prints the change set as a unified diff", async () => {
    const result = await generateChanges(issue(diffBlock), repo());
    const printed = formatChangeSet(result.changes);
    expect(printed).toContain("--- a/src/greet.ts\n+++ b/src/greet.ts\n@@ -1,3 +1,3 @@");
    expect(printed).toContain("+  return `Hello, ${name}!`;");
  });
});
