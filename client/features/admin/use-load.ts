import { useCallback, useEffect, useRef, useState } from 'react';
import { describeApiError } from '../base/http';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `fetcher` now, again whenever `key` changes, on reload(), and every `refreshMs` if given.
 * An answer that arrives after a newer request started is dropped.
 */
export function useLoad<T>(fetcher: (signal: AbortSignal) => Promise<T>, key: string, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    fetcherRef.current(controller.signal).then((value) => {
      if (controller.signal.aborted) return;
      setData(value);
      setError(undefined);
      setLoading(false);
    }, (err: unknown) => {
      if (controller.signal.aborted) return;
      setError(describeApiError(err));
      setLoading(false);
    });
    return () => controller.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
