// The sandbox App has what a user's installation of AFU-9 has: the permissions and events of the
// project's GitHub App manifest, so the simulator never grants more than the real App asks for.
import manifest from "../../github-app-manifest.json";

export const SANDBOX_APP_PERMISSIONS: Record<string, string> = { ...manifest.default_permissions };

export const SANDBOX_APP_EVENTS: string[] = [...manifest.default_events];
