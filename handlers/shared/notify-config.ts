// The `notify:` section of `.github/afu9.yml`: which run outcomes go to which of the stack's
// notification destinations. Destinations are named by the stack (their webhook URLs are secret);
// a name the stack does not have is reported by the notifier, which cannot be known here.
//
//   notify:
//     enabled: true                      # false: this repository sends nothing
//     outcomes: [merged, ci-failed, ...] # for every destination (default: all six)
//     destinations:                      # optional: only these, each with its own outcomes
//       platform-slack: [merged, ci-failed]
//       oncall-teams: [failed, timed-out]
import { z } from "zod";
import { defaultNotifyConfig, DESTINATION_NAME } from "../../contract/notifications";
import { NOTIFY_OUTCOMES } from "../../contract/run-outcome";
import type { NotifyOutcome } from "../../contract/state";

/** Built per call (closure rule: no module-level zod schemas). */
export function buildNotifyConfigSchema() {
  const d = defaultNotifyConfig();
  const outcome = z.enum(NOTIFY_OUTCOMES as [NotifyOutcome, ...NotifyOutcome[]]);
  const outcomes = z
    .array(outcome)
    .refine((list) => new Set(list).size === list.length, "lists an outcome twice");
  return z
    .strictObject({
      enabled: z.boolean().default(d.enabled),
      outcomes: outcomes.default(d.outcomes),
      destinations: z
        .record(
          z
            .string()
            .regex(
              DESTINATION_NAME,
              "destination names are lower-case letters, digits and '-' (at most 40)",
            ),
          outcomes,
        )
        .optional(),
    })
    .default(d);
}

export { defaultNotifyConfig };
