/**
 * Who someone is, as far as this client knows: the PeopleDirectory a contacts/presence feature
 * provides, else the display names features learned from SIP (From / P-Asserted-Identity), else
 * the user part of the address.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { Person, PeopleDirectory } from './contracts';
import { useExternal, useRuntime, useService } from './react';
import { ServiceKey } from './runtime';

export const PEOPLE = new ServiceKey<PeopleDirectory>('people');

export function userPartOf(uri: string): string {
  return uri.replace(/^sips?:/, '').replace(/@.*$/, '');
}

/** `bob`, `bob@domain` or `sip:bob@domain` -> `sip:bob@domain` (our domain when none is given). */
export function toSipUri(input: string, domain: string): string | undefined {
  let s = input.trim().toLowerCase();
  if (s.startsWith('sip:')) s = s.slice(4);
  const [user, host, ...rest] = s.split('@');
  if (rest.length > 0 || !user || !/^[a-z0-9][a-z0-9._+-]{0,63}$/.test(user)) return undefined;
  const realHost = host ?? domain;
  if (!/^[a-z0-9.-]{1,253}(:\d{1,5})?$/.test(realHost)) return undefined;
  return `sip:${user}@${realHost}`;
}

/** Everything known about `uri`; re-renders when the directory or learned names change. */
export function usePerson(uri: string, fallbackName?: string): Person {
  const runtime = useRuntime();
  const directory = useService(PEOPLE);
  const get = useCallback(() => directory?.person(uri), [directory, uri]);
  const subscribe = useMemo(() => (directory ? (listener: () => void) => directory.subscribe(listener) : undefined), [directory]);
  const known = useExternal(subscribe, get);
  const learned = useExternal(runtime.names.subscribe, runtime.names.get)[uri];
  useEffect(() => directory?.watch?.(uri), [directory, uri]);
  return known ?? { uri, displayName: learned ?? fallbackName ?? userPartOf(uri) };
}
