// The page shell: stylesheet and script from the factory itself, a navigation bar, and the
// <main id="live"> element the script refreshes in place.
import { html, type Markup } from "./html";

export interface ShellContext {
  mode: "sandbox" | "github";
  /** The sandbox's demo repository, linked from the navigation. */
  repository?: { owner: string; name: string };
  /** Where runs are kept: a directory, or undefined = memory only. */
  dataDir?: string;
}

export function page(context: ShellContext, title: string, main: Markup, extra?: Markup): string {
  const storage = context.dataDir
    ? html`runs kept in <code>${context.dataDir}</code>`
    : html`state in memory: gone when the factory stops`;
  const repo = context.repository;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · AFU-9 local factory</title>
        <link rel="stylesheet" href="/dashboard.css" />
        <script src="/dashboard.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">AFU-9 local factory</a>
          <nav>
            <a href="/">Runs</a
            >${repo ? html`<a href="/repos/${repo.owner}/${repo.name}">Repository ${repo.owner}/${repo.name}</a>` : ""}
          </nav>
          <span class="mode"
            >${context.mode === "sandbox" ? "sandbox" : "real GitHub"} · ${storage}</span
          >
          <span id="live-status" class="live-status">static</span>
        </header>
        ${extra ?? ""}
        <main id="live">${main}</main>
      </body>
    </html> `.markup;
}
