// The parts of the window that are not in its first view (the Requests view, the menus' dialogs)
// are chunks of their own, fetched the first time they are wanted: the script the first view
// waits for is smaller to fetch, parse and keep in memory.
import { useEffect, useState } from "preact/hooks";

/** What a view holds of a lazily loaded module: the module once it is there, or why it is not. */
export interface Loaded<T> {
  module: T | null;
  error: string | null;
}

/** A hook for one module, fetched once (again after a failure) the first time a view wants it. */
export function lazyModule<T>(load: () => Promise<T>): (wanted: boolean) => Loaded<T> {
  let loaded: T | null = null;
  let loading: Promise<T> | null = null;
  const start = () =>
    (loading ??= load().then(
      (m) => (loaded = m),
      (e) => {
        loading = null;
        throw e;
      },
    ));
  return function useLoaded(wanted: boolean): Loaded<T> {
    const [module, setModule] = useState<T | null>(loaded);
    const [error, setError] = useState<string | null>(null);
    // Asked for during the render that wants it, not a frame later.
    if (wanted && !loaded) start().catch(() => {});
    useEffect(() => {
      if (!wanted || module) return;
      let live = true;
      setError(null);
      start().then(
        (m) => live && setModule(() => m),
        (e) => live && setError(String(e)),
      );
      return () => {
        live = false;
      };
    }, [wanted]);
    return { module: module ?? loaded, error };
  };
}
