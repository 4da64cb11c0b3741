/**
 * Live updates by polling: usePoll(load, deps) runs `load` now, then every POLL_MS
 * while the page is visible, and again when any of `deps` changes. It keeps the last
 * good data while a refresh fails.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export const POLL_MS = 3000;

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly at: Date | undefined;
  /** Loads again now (after a mutation). */
  readonly refresh: () => void;
}

export function usePoll<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  every = POLL_MS,
): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; at?: Date }>({});
  const gen = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useCallback(() => {
    const mine = ++gen.current;
    loadRef.current().then(
      (data) => {
        if (mine === gen.current) setState({ data, at: new Date() });
      },
      (error: Error) => {
        if (mine === gen.current) setState((s) => ({ ...s, error }));
      },
    );
  }, []);
  useEffect(() => {
    setState({});
    run();
    if (every <= 0) return;
    const id = setInterval(() => {
      if (document.visibilityState === "visible") run();
    }, every);
    return () => {
      clearInterval(id);
      gen.current++;
    };
  }, deps);
  return { data: state.data, error: state.error, at: state.at, refresh: run };
}
