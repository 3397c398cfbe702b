// Tells the app the page is on screen, the same way ScopeStack Companion's window signals its first
// profile view: the next animation frame paints the page, the one after starts once that frame is
// composited; then it calls page_ready with the time since the page began loading, and the same
// milestones of the page the desktop app's window reports ("name:ms,…").
requestAnimationFrame(() => {
  const painting = performance.now();
  requestAnimationFrame(() => {
    const shown = performance.now();
    const nav = performance.getEntriesByType("navigation")[0];
    const at = { html: nav ? nav.responseEnd : 0, "dom-interactive": nav ? nav.domInteractive : 0, "frame-painting": painting, "frame-shown": shown };
    const phases = Object.entries(at).map(([name, ms]) => `${name}:${Math.round(ms)}`).join(",") + `,origin:${Math.round(performance.timeOrigin)}`;
    window.__TAURI_INTERNALS__.invoke("page_ready", { pageMs: performance.now(), phases });
  });
});
