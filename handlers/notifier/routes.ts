// Which of the stack's destinations hear about one outcome, by the repository's `notify:` config.
import { defaultNotifyConfig } from "../../contract/notifications";
import type { NotifyDestination } from "../../contract/environment";
import type { RunOutcome } from "../../contract/run-outcome";
import type { NotifyConfig, NotifyOutcome } from "../../contract/state";

export interface Routing {
  /** Destination names to send to (stack destinations, in the stack's order). */
  send: string[];
  /** Names the repository config uses that the stack does not define. */
  unknown: string[];
}

export function destinationsFor(
  outcome: RunOutcome,
  config: NotifyConfig | undefined,
  stackDestinations: Record<string, NotifyDestination>,
): Routing {
  const notify = config ?? defaultNotifyConfig();
  const names = Object.keys(stackDestinations);
  if (!notify.enabled) return { send: [], unknown: [] };
  const wants = (list: readonly NotifyOutcome[]) => (list as readonly string[]).includes(outcome);
  if (!notify.destinations) {
    return { send: wants(notify.outcomes) ? names : [], unknown: [] };
  }
  const chosen = notify.destinations;
  return {
    send: names.filter((name) => name in chosen && wants(chosen[name])),
    unknown: Object.keys(chosen).filter((name) => !names.includes(name)),
  };
}
