// Delivery against a scripted destination with a fake clock: retries on 429/5xx/no answer,
// Retry-After in seconds or as a date, the attempt and wait budgets, no retry on other 4xx.
import { deliver, retryAfterMs, type HttpPost } from "../../../handlers/notifier/deliver";

const DESTINATION = {
  kind: "slack" as const,
  url: "https://hooks.slack.com/services/T/B/SECRETtoken",
};
const POLICY = {
  maxAttempts: 4,
  maxTotalWaitMs: 20_000,
  baseDelayMs: 1000,
  requestTimeoutMs: 5000,
};

function scripted(answers: ({ status: number; retryAfter?: string } | "network")[]) {
  const calls: { at: number; body: string }[] = [];
  let now = 1_000_000;
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const post: HttpPost = async (_url, init) => {
    calls.push({ at: now, body: init.body });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer === "network") throw new TypeError(`fetch failed: ${DESTINATION.url}`);
    return {
      status: answer.status,
      headers: {
        get: (name: string) => (name === "retry-after" ? (answer.retryAfter ?? null) : null),
      },
    };
  };
  return { calls, clock, post };
}

describe("deliver", () => {
  it("posts the payload as JSON once when the destination accepts it", async () => {
    const s = scripted([{ status: 200 }]);
    const result = await deliver(DESTINATION, { text: "hi" }, s, POLICY);
    expect(result).toEqual({ delivered: true, attempts: 1, status: 200, waitsMs: [] });
    expect(JSON.parse(s.calls[0].body)).toEqual({ text: "hi" });
  });

  it("honours Retry-After on 429 (seconds), then delivers", async () => {
    const s = scripted([{ status: 429, retryAfter: "7" }, { status: 202 }]);
    const result = await deliver(DESTINATION, {}, s, POLICY);
    expect(result).toMatchObject({ delivered: true, attempts: 2, waitsMs: [7000] });
    expect(s.calls[1].at - s.calls[0].at).toBe(7000);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    expect(retryAfterMs(new Date(1_005_000).toUTCString(), 1_000_000)).toBe(5000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it("backs off exponentially on 5xx and network errors, and gives up after maxAttempts", async () => {
    const s = scripted([{ status: 500 }, "network", { status: 503 }, { status: 502 }]);
    const result = await deliver(DESTINATION, {}, s, POLICY);
    expect(result).toMatchObject({
      delivered: false,
      attempts: 4,
      status: 502,
      waitsMs: [1000, 2000, 4000],
    });
    expect(s.calls).toHaveLength(4);
  });

  it("stops when the next wait would exceed the total wait budget", async () => {
    const s = scripted([
      { status: 429, retryAfter: "15" },
      { status: 429, retryAfter: "15" },
    ]);
    const result = await deliver(DESTINATION, {}, s, POLICY);
    expect(result.delivered).toBe(false);
    expect(result.waitsMs).toEqual([15000]);
    expect(s.calls).toHaveLength(2);
    expect(result.reason).toMatch(/exceeds the wait budget/);
  });

  it("does not retry a refusal (4xx other than 429)", async () => {
    const s = scripted([{ status: 404 }]);
    expect(await deliver(DESTINATION, {}, s, POLICY)).toMatchObject({
      delivered: false,
      attempts: 1,
      status: 404,
      reason: "HTTP 404",
    });
  });

  it("never puts the URL in its result (network errors quote it)", async () => {
    const s = scripted(["network"]);
    const result = await deliver(DESTINATION, {}, s, { ...POLICY, maxAttempts: 1 });
    expect(JSON.stringify(result)).not.toContain("SECRETtoken");
    expect(result.reason).toBe("no answer (TypeError)");
  });
});
