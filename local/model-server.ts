// A scripted OpenAI-compatible chat-completions endpoint on 127.0.0.1, for tests and the sandbox.
// It answers from a queue (one answer per request, in order) or from rules chosen by what the
// conversation contains, reports token usage, and records every request (method, path, headers,
// JSON body) so a test can assert on exactly what reached the model.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    max_tokens: number;
    temperature: number;
  };
  /** The token usage the server reported for this request (absent for error answers). */
  usage?: { input: number; output: number };
}

export type ScriptedAnswer = string | { status: number; body: string };

export interface ModelRule {
  /** Matched against every message of the request joined; absent matches any request. */
  when?: string | RegExp;
  answer: ScriptedAnswer;
}

export interface ModelScript {
  rules: ModelRule[];
  /** Answer when no rule matches (default: an empty answer). */
  fallback?: ScriptedAnswer;
  /** Tokens reported per call; default: 1000 in, 50 out. */
  usage?: (request: Recorded["body"], answer: string) => { input: number; output: number };
}

export interface ModelServer {
  url: string;
  requests: Recorded[];
  /** Replaces the rules (the sandbox scripts one demo issue after another). */
  setScript(script: ModelScript): void;
  close(): Promise<void>;
}

function conversation(body: Recorded["body"]): string {
  return (body.messages ?? []).map((m) => m.content).join("\n");
}

function matches(rule: ModelRule, text: string): boolean {
  if (rule.when === undefined) return true;
  return typeof rule.when === "string" ? text.includes(rule.when) : rule.when.test(text);
}

/** A queue of answers (`[a, b]`: first request gets a, second b, then empty) or rules. */
export async function startModelServer(
  script: ScriptedAnswer[] | ModelScript = [],
): Promise<ModelServer> {
  const requests: Recorded[] = [];
  let current: ScriptedAnswer[] | ModelScript = script;
  const choose = (body: Recorded["body"]): ScriptedAnswer => {
    if (Array.isArray(current)) return current.shift() ?? "";
    const text = conversation(body);
    return current.rules.find((rule) => matches(rule, text))?.answer ?? current.fallback ?? "";
  };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw) as Recorded["body"];
      const recorded: Recorded = { method: req.method!, url: req.url!, headers: req.headers, body };
      requests.push(recorded);
      const answer = choose(body);
      if (typeof answer !== "string") {
        res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
        return;
      }
      const usage =
        !Array.isArray(current) && current.usage
          ? current.usage(body, answer)
          : { input: 1000, output: 50 };
      recorded.usage = usage;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          choices: [
            { index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" },
          ],
          usage: {
            prompt_tokens: usage.input,
            completion_tokens: usage.output,
            total_tokens: usage.input + usage.output,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    requests,
    setScript: (next) => (current = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
