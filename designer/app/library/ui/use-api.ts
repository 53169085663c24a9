import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api';
import { asApiError } from './api-problems';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  /** Loads again (keeps the old data shown meanwhile). */
  reload(): void;
}

/**
 * Loads something from the API when the key changes: `useApi(() => api.get(...), [id])`. A
 * request that a newer one overtook is dropped; leaving the page aborts it.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, key: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    loader.current(ctl.signal).then(
      (d) => {
        if (ctl.signal.aborted) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctl.signal.aborted) return;
        setError(asApiError(err));
        setLoading(false);
      },
    );
    return () => ctl.abort();
    // The key is the caller's list of what the request depends on.
  }, [...key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}
