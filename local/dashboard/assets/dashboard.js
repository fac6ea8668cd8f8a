// The dashboard's only script (served by the factory; no build step): when the factory signals a
// change over server-sent events, fetch the same page's <main> again and swap it in, so runs move
// through their states without a reload. Without JavaScript the pages still work (reload by hand).
"use strict";
(function live() {
  const main = document.getElementById("live");
  const status = document.getElementById("live-status");
  if (!main || typeof EventSource === "undefined") return;
  let shown = null;
  let busy = false;
  let again = false;
  let refreshes = 0;

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(location.pathname + location.search, {
        headers: { "x-afu9-fragment": "1" },
        cache: "no-store",
      });
      if (response.ok) {
        const text = await response.text();
        if (text !== shown) {
          main.innerHTML = text;
          shown = text;
        }
        refreshes += 1;
        document.body.dataset.refreshes = String(refreshes);
      }
    } catch {
      // The factory stopped or restarted: EventSource reconnects and the next change refreshes.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  const source = new EventSource("/live");
  source.addEventListener("change", refresh);
  source.addEventListener("open", () => {
    if (status) status.textContent = "live";
    document.body.dataset.live = "connected";
  });
  source.addEventListener("error", () => {
    if (status) status.textContent = "reconnecting";
    document.body.dataset.live = "reconnecting";
  });
})();
