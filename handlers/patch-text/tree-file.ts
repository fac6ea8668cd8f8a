// A file as a git tree holds it: text content and mode.

export interface TreeFile {
  content: string;
  /** git mode: "100644", "100755", "120000" (symlink), "160000" (submodule). */
  mode: string;
}
