/**
 * Test support: the contact list as a sip.js client keeps it (a Subscriber for `vnd-ocs-contacts`
 * whose NOTIFYs feed the shared replica reducer, and commands sent as MESSAGE to one's own AOR).
 * The web client does the same through shared/contacts.ts.
 */
import { Messager, Subscriber, UserAgent } from 'sip.js';
import {
  applyContactsDocument,
  CONTACTS_COMMAND_TYPE,
  CONTACTS_EVENT,
  type ContactCommand,
  type ContactsDocument,
  type ContactsReplica,
  EMPTY_REPLICA,
} from '../../shared/contacts';
import type { SipJsClient } from '../testing/sipjs';

export interface CommandAnswer {
  status: number;
  reason: string;
  body: unknown;
}

export class SipJsContacts {
  replica: ContactsReplica = EMPTY_REPLICA;
  readonly documents: ContactsDocument[] = [];
  private subscriber?: Subscriber;

  constructor(readonly client: SipJsClient) {}

  /** SUBSCRIBE to one's own list; resolves once the first full list is assembled. */
  async subscribe(timeoutMs = 5_000): Promise<void> {
    const target = UserAgent.makeURI(this.client.aor)!;
    const sub = new Subscriber(this.client.ua, target, CONTACTS_EVENT, { expires: 600 });
    sub.delegate = {
      onNotify: (notification) => {
        void notification.accept();
        const body = notification.request.body;
        if (!body) return;
        const doc = JSON.parse(body) as ContactsDocument;
        this.documents.push(doc);
        this.replica = applyContactsDocument(this.replica, doc);
      },
    };
    this.subscriber = sub;
    await sub.subscribe();
    await this.untilVersion(0, timeoutMs);
  }

  async unsubscribe(): Promise<void> {
    await this.subscriber?.unsubscribe().catch(() => undefined);
  }

  /** Waits until the replica holds at least `version`. */
  async untilVersion(version: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.replica.list && this.replica.list.version >= version)) {
      if (Date.now() > deadline) throw new Error(`${this.client.options.user}: contact list did not reach version ${version} (has ${this.replica.list?.version})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends a command (or any JSON / raw text) as MESSAGE to `target` (default: one's own AOR). */
  command(command: ContactCommand | Record<string, unknown> | string, target = this.client.aor, timeoutMs = 5_000): Promise<CommandAnswer> {
    const uri = UserAgent.makeURI(target)!;
    const text = typeof command === 'string' ? command : JSON.stringify(command);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`contacts command to ${target}: no final response`)), timeoutMs);
      const done = (r: { message: { statusCode?: number; reasonPhrase?: string; body: string } }): void => {
        clearTimeout(timer);
        let body: unknown = r.message.body;
        try {
          body = r.message.body ? JSON.parse(r.message.body) : undefined;
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: r.message.statusCode ?? 0, reason: r.message.reasonPhrase ?? '', body });
      };
      new Messager(this.client.ua, uri, text, CONTACTS_COMMAND_TYPE)
        .message({ requestDelegate: { onAccept: done, onReject: done } })
        .catch((e: unknown) => (clearTimeout(timer), reject(e)));
    });
  }
}
