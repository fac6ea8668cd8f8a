// A run of some parts (`--only`) keeps the figures and budgets of the other parts from the
// results file it replaces, so one results.json holds the latest figures of every part.
import { existsSync, readFileSync } from "node:fs";

interface PartBudget {
  part: string;
}

export function keepEarlierParts(
  out: string,
  ran: readonly string[],
  parts: Record<string, unknown>,
  budgets: PartBudget[],
): void {
  if (!existsSync(out)) return;
  let earlier: { parts?: Record<string, unknown>; budgets?: PartBudget[] };
  try {
    earlier = JSON.parse(readFileSync(out, "utf8")) as typeof earlier;
  } catch {
    return;
  }
  // Part keys in results.json are not always the part names (coldStart for cold).
  const keyOf: Record<string, string> = { cold: "coldStart" };
  const ranKeys = ran.map((part) => keyOf[part] ?? part);
  for (const [key, value] of Object.entries(earlier.parts ?? {})) {
    if (!ranKeys.includes(key) && !(key in parts)) parts[key] = value;
  }
  for (const budget of earlier.budgets ?? []) {
    if (!ran.includes(budget.part)) budgets.push(budget);
  }
}
