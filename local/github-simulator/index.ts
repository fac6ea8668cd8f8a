// Public entry of the GitHub simulator (sandbox + test double over real HTTP). See README.md.
export { startGitHubSimulator } from "./simulator";
export type {
  GitHubSimulator,
  GitHubSimulatorOptions,
  IssueRestObject,
  SimCheckRun,
} from "./simulator";
export type { FaultSpec, FaultMode } from "./faults";
export type { EmittedEvent, WebhookTarget } from "./webhooks";
export { signPayload } from "./webhooks";
export { seedDemoRepository, DEMO_FILES, type DemoSeed } from "./seed";
export { simulatorClientFactory, type SimulatorClientOptions } from "./client-factory";
export type {
  RepositoryView,
  RepositoryViewApi,
  ViewComment,
  ViewIssue,
  ViewPull,
  ViewFile,
} from "./api/repository-view";
