/**
 * The roaming contact list over SIP (docs/protocol.md "Contacts"): one SUBSCRIBE to our own AOR
 * for `vnd-ocs-contacts` brings the full list, then deltas, on every endpoint of ours; changes are
 * MESSAGE commands to our own AOR, answered 200 or with a named fault. The replica is applied with
 * shared/contacts' `applyContactsDocument`; a delta that does not follow our version makes us
 * refresh the subscription, which sends the full list again (RFC 6665 §4.2.1.2).
 */
import { Messager, Subscriber, SubscriptionState, UserAgent, type Notification } from 'sip.js';
import {
  applyContactsDocument, CONTACTS_COMMAND_TYPE, CONTACTS_DOCUMENT_TYPE, CONTACTS_EVENT, EMPTY_REPLICA,
  type ContactCommand, type ContactCommandResult, type ContactsDocument, type ContactsReplica, type DirectoryEntry, type DirectoryResponse,
} from '../../../shared/contacts';
import { apiRequest } from '../base/http';
import type { FeatureContext } from '../base/runtime';
import { Store } from '../base/store';

const SUBSCRIBE_EXPIRES_SEC = 3600;
const RESUBSCRIBE_DELAY_MS = 2_000;

/** A refused command, with the server's code (NO_SUCH_USER, ALREADY_IN_LIST, ...) and words for people. */
export class ContactCommandError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ContactCommandError';
  }
}

const FRIENDLY: Record<string, string> = {
  NO_SUCH_USER: 'There is no such person in the directory.',
  ALREADY_IN_LIST: 'That person is already in your contacts.',
  GROUP_EXISTS: 'You already have a group with that name.',
  LIMIT: 'Your contact list is full.',
  DEFAULT_GROUP: 'This group cannot be removed.',
  INVALID_URI: 'That is not a valid address.',
};

export class ContactsService {
  readonly replica = new Store<ContactsReplica>(EMPTY_REPLICA);
  private subscriber: Subscriber | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly ctx: FeatureContext) {}

  start(): () => void {
    const offs = [
      this.ctx.sip.onRegistered(() => this.subscribe()),
      this.replica.subscribe(() => {
        const list = this.replica.get().list;
        this.ctx.people.setContacts(new Map((list?.contacts ?? []).map((c) => [c.uri, { displayName: c.displayName, accessLevel: c.accessLevel }])));
      }),
    ];
    if (this.ctx.sip.state === 'registered') this.subscribe();
    return () => {
      this.stopped = true;
      for (const off of offs) off();
      if (this.timer) clearTimeout(this.timer);
      this.subscriber?.dispose().catch(() => undefined);
    };
  }

  /** Sends one command; resolves with the new version, rejects with ContactCommandError. */
  command(command: ContactCommand): Promise<ContactCommandResult> {
    const self = UserAgent.makeURI(this.ctx.user.uri);
    if (!self || this.ctx.sip.state !== 'registered') return Promise.reject(new ContactCommandError(0, 'OFFLINE', "You're offline. Try again when you're connected."));
    return new Promise((resolve, reject) => {
      const messager = new Messager(this.ctx.sip.userAgent, self, JSON.stringify(command), CONTACTS_COMMAND_TYPE);
      messager.message({
        requestDelegate: {
          onAccept: (response) => {
            try {
              resolve(JSON.parse(response.message.body || '{}') as ContactCommandResult);
            } catch {
              resolve({ version: this.replica.get().list?.version ?? 0 });
            }
          },
          onReject: (response) => {
            let code = 'FAILED';
            let message = response.message.reasonPhrase || 'The change could not be made.';
            try {
              const body = JSON.parse(response.message.body || '{}') as { error?: { code?: string; message?: string } };
              code = body.error?.code ?? code;
              message = FRIENDLY[code] ?? body.error?.message ?? message;
            } catch {
              // not JSON: keep the reason phrase
            }
            reject(new ContactCommandError(response.message.statusCode ?? 0, code, message));
          },
        },
      }).catch(() => reject(new ContactCommandError(0, 'UNREACHABLE', "Can't reach the server.")));
    });
  }

  search(q: string, signal?: AbortSignal): Promise<DirectoryEntry[]> {
    const params = new URLSearchParams({ q, limit: '12' });
    return apiRequest<DirectoryResponse>(`/api/directory?${params}`, { token: this.ctx.token, ...(signal ? { signal } : {}) }).then((r) => r.items);
  }

  private subscribe(): void {
    if (this.stopped) return;
    this.subscriber?.dispose().catch(() => undefined);
    const self = UserAgent.makeURI(this.ctx.user.uri);
    if (!self) return;
    const subscriber = new Subscriber(this.ctx.sip.userAgent, self, CONTACTS_EVENT, {
      expires: SUBSCRIBE_EXPIRES_SEC,
      extraHeaders: [`Accept: ${CONTACTS_DOCUMENT_TYPE}`],
    });
    subscriber.delegate = { onNotify: (n) => this.onNotify(subscriber, n) };
    subscriber.stateChange.addListener((state) => {
      // Ended by the server (481 after a restart, a refused refresh): subscribe again after a pause.
      if (state !== SubscriptionState.Terminated || this.stopped || this.subscriber !== subscriber) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.ctx.sip.state === 'registered' && this.subscriber === subscriber) this.subscribe();
      }, RESUBSCRIBE_DELAY_MS);
    });
    this.subscriber = subscriber;
    subscriber.subscribe().catch(() => undefined);
  }

  private onNotify(subscriber: Subscriber, notification: Notification): void {
    notification.accept().catch(() => undefined);
    const body = notification.request.body;
    if (!body) return; // the final NOTIFY of an ended subscription may carry nothing
    let doc: ContactsDocument;
    try {
      doc = JSON.parse(body) as ContactsDocument;
    } catch {
      return;
    }
    const next = applyContactsDocument(this.replica.get(), doc);
    this.replica.set(next);
    if (next.stale) subscriber.subscribe().catch(() => undefined); // refresh: the full list follows
  }
}
