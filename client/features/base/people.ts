/**
 * Who someone is, as far as this client knows, in one place all features read: the name the
 * person's owner gave them in the contact list, else the display name learned from SIP (From /
 * P-Asserted-Identity), else the user part of the address; and their presence when a presence
 * feature reports it. Features write their part; nobody imports another feature to read it.
 */
import { useCallback, useEffect } from 'react';
import type { AccessLevel } from '../../../shared/contacts';
import type { Person, PresenceView } from './contracts';
import { useExternal, useRuntime } from './react';
import { Store } from './store';

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

export interface ContactInfo {
  displayName: string;
  accessLevel: AccessLevel;
}

export class People {
  /** Person objects keep their identity until something about them changes (React compares by identity). */
  readonly people = new Store<ReadonlyMap<string, Person>>(new Map());
  private contacts = new Map<string, ContactInfo>();
  private readonly seenNames = new Map<string, string>();
  private readonly presence = new Map<string, PresenceView>();
  private watcher: ((uri: string) => () => void) | undefined;

  get(uri: string): Person | undefined {
    return this.people.get().get(uri);
  }

  /** The contact list's names and access levels (replaces the previous set). */
  setContacts(contacts: ReadonlyMap<string, ContactInfo>): void {
    const touched = new Set([...this.contacts.keys(), ...contacts.keys()]);
    this.contacts = new Map(contacts);
    this.refresh(touched);
  }

  setSeenName(uri: string, name: string): void {
    if (!name || this.seenNames.get(uri) === name) return;
    this.seenNames.set(uri, name);
    this.refresh([uri]);
  }

  setPresence(uri: string, view: PresenceView | undefined): void {
    if (view) this.presence.set(uri, view);
    else this.presence.delete(uri);
    this.refresh([uri]);
  }

  /** The presence feature follows people who are not contacts while someone looks at them. */
  setWatcher(watcher: (uri: string) => () => void): () => void {
    this.watcher = watcher;
    return () => { if (this.watcher === watcher) this.watcher = undefined; };
  }

  watch(uri: string): () => void {
    return this.watcher?.(uri) ?? (() => undefined);
  }

  private refresh(uris: Iterable<string>): void {
    const next = new Map(this.people.get());
    let changed = false;
    for (const uri of uris) {
      const contact = this.contacts.get(uri);
      const displayName = contact?.displayName ?? this.seenNames.get(uri);
      const presence = this.presence.get(uri);
      const old = next.get(uri);
      if (!displayName && !presence) {
        if (old) { next.delete(uri); changed = true; }
        continue;
      }
      const person: Person = {
        uri, displayName: displayName ?? userPartOf(uri), ...(presence ? { presence } : {}), ...(contact ? { accessLevel: contact.accessLevel } : {}),
      };
      if (old && old.displayName === person.displayName && old.presence === person.presence && old.accessLevel === person.accessLevel) continue;
      next.set(uri, person);
      changed = true;
    }
    if (changed) this.people.set(next);
  }
}

/** Everything known about `uri`; re-renders when it changes, and watches their presence meanwhile. */
export function usePerson(uri: string, fallbackName?: string): Person {
  const { people } = useRuntime();
  const get = useCallback(() => people.get(uri), [people, uri]);
  const known = useExternal(people.people.subscribe, get);
  useEffect(() => (uri ? people.watch(uri) : undefined), [people, uri]);
  return known ?? { uri, displayName: fallbackName ?? userPartOf(uri) };
}
