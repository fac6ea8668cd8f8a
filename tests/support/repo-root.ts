import { resolve } from "node:path";

/** The repository's root folder (tests/support is two levels below it). */
export const REPO_ROOT = resolve(__dirname, "..", "..");
