// Tells the app the page is on screen, the same way ScopeStack Companion's window signals its first
// profile view: the next animation frame paints the page, the one after starts once that frame is
// composited; then it calls page_ready with the time since the page began loading.
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("page_ready", { pageMs: performance.now() })));
