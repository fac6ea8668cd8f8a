// Defaults of the `notify:` section of `.github/afu9.yml`, shared by the config parser (which
// fills them in) and the notifier (which applies them when a run ended before the config was read).
import { NOTIFY_OUTCOMES } from "./run-outcome";
import type { NotifyConfig } from "./state";

/** Every stack destination hears every notifiable outcome unless the repository says otherwise. */
export function defaultNotifyConfig(): NotifyConfig {
  return { enabled: true, outcomes: [...NOTIFY_OUTCOMES] };
}

/** Destination names: what `.github/afu9.yml` and the stack config call a channel. */
export const DESTINATION_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
