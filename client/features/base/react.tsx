/** React access to the session's Runtime: the context, services, bus and navigation. */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { AppEvents } from './contracts';
import type { FeatureContext, NavState, Runtime, ServiceKey } from './runtime';
import { useStore } from './store';

const RuntimeContext = createContext<Runtime | null>(null);

export function RuntimeProvider({ runtime, children }: { runtime: Runtime; children: ReactNode }) {
  return <RuntimeContext.Provider value={runtime}>{children}</RuntimeContext.Provider>;
}

export function useRuntime(): Runtime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime outside <RuntimeProvider>');
  return runtime;
}

export function useFeatureContext(): FeatureContext {
  return useRuntime().context;
}

/** The service provided under `key`, re-rendering when services come and go. */
export function useService<T>(key: ServiceKey<T>): T | undefined {
  const runtime = useRuntime();
  useStore(runtime.services.changed);
  return runtime.services.get(key);
}

/** Like useService, for a feature's own store that its start() always provides. */
export function useRequiredService<T>(key: ServiceKey<T>): T {
  const value = useService(key);
  if (value === undefined) throw new Error(`service "${key.name}" is not provided`);
  return value;
}

export function useNav(): NavState {
  return useStore(useRuntime().nav.state);
}

/** Subscribes to a bus event for the component's lifetime. */
export function useBusEvent<K extends keyof AppEvents>(event: K, listener: (payload: AppEvents[K]) => void): void {
  const runtime = useRuntime();
  useEffect(() => runtime.bus.on(event, listener), [runtime, event, listener]);
}

/** A value read from an external subscribe/get pair (e.g. the People store). */
export function useExternal<T>(subscribe: ((listener: () => void) => () => void) | undefined, get: () => T): T {
  return useSyncExternalStore(subscribe ?? noSubscribe, get);
}

function noSubscribe(): () => void {
  return () => undefined;
}
