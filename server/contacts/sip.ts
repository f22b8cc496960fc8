/**
 * The contact list over SIP (docs/protocol.md "Contacts"), on the one authenticated channel the
 * client already has:
 *   SUBSCRIBE sip:<me>@<domain>  Event: vnd-ocs-contacts  -> 200, NOTIFYs of the list (notifier.ts)
 *   MESSAGE   sip:<me>@<domain>  Content-Type: application/vnd.ocs-contacts-command+json
 *                                -> 200 { version } | 4xx { error: { code, message } }
 * Only the owner may read or change a list: the authenticated user must be the Request-URI's user
 * (403 otherwise). Anything else (other events, other content types) passes on untouched.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  CONTACT_ERRORS,
  CONTACTS_COMMAND_TYPE,
  CONTACTS_DOCUMENT_TYPE,
  CONTACTS_EVENT,
  CONTACTS_RESULT_TYPE,
  ContactCommand,
  type ContactCommandResult,
  type ContactErrorCode,
} from '../../shared/contacts';
import { normalizeUserName } from '../../shared/users';
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import { defaultReason, expiresOf, mediaTypeOf, tagOf, toOf } from '../sip/message/index';
import { parseEvent, type SubscriptionManager } from '../sip/dialog/index';
import { ContactError } from './errors';
import type { ContactsNotifier } from './notifier';
import type { ContactService } from './service';

/** Granted subscription durations (s): RFC 6665 §4.2.1.1 lets the notifier shorten, never lengthen. */
export const SUBSCRIBE_EXPIRES = { default: 3600, min: 60, max: 7200 } as const;

const checkCommand = TypeCompiler.Compile(ContactCommand);
/** One checker per op, so a refusal names the field at fault rather than "expected union value". */
const checkByOp = new Map(ContactCommand.anyOf.map((s) => [s.properties.op.const as string, TypeCompiler.Compile(s)]));

export interface ContactsSipDeps {
  domain: string;
  contacts: ContactService;
  subscriptions: SubscriptionManager;
  notifier: ContactsNotifier;
}

/** The owner of the list the request addresses, when the authenticated user may touch it. */
function ownerOf(ctx: RequestContext, domain: string): string {
  const uri = ctx.request.uri;
  const target = uri.user !== undefined && uri.host === domain ? normalizeUserName(uri.user) : undefined;
  if (!ctx.user || !target || target !== ctx.user) throw new ContactError('NOT_OWNER');
  return target;
}

/**
 * `404 Not Found (no group 7)`: the phrase names the fault, in the characters RFC 3261 §25.1 allows
 * in a Reason-Phrase (reserved / unreserved / SP; a double quote is not one of them).
 */
function reasonOf(err: ContactError): string {
  const detail = err.message.replace(/"/g, "'").replace(/[^A-Za-z0-9;/?:@&=+$,\-_.!~*'() ]/g, ' ');
  return `${defaultReason(err.status)} (${detail})`;
}

function refuse(ctx: RequestContext, err: ContactError): void {
  ctx.respond(err.status, reasonOf(err), { body: Buffer.from(JSON.stringify(err.toBody())), contentType: CONTACTS_RESULT_TYPE });
}

export function contactsSubscribeHandler(deps: ContactsSipDeps): MethodHandler {
  return {
    module: 'contacts',
    async handle(ctx) {
      const ev = parseEvent(ctx.request.headers.get('Event'));
      if (ev?.event !== CONTACTS_EVENT) return;
      if (tagOf(toOf(ctx.request))) {
        // RFC 6665 §4.2.1.2 refresh / §4.2.1.4 unsubscribe of one of ours; otherwise it is gone.
        if (!deps.subscriptions.handleInDialog(ctx)) ctx.respond(481, 'Subscription Does Not Exist');
        return;
      }
      let owner: string;
      try {
        owner = ownerOf(ctx, deps.domain);
      } catch (err) {
        if (err instanceof ContactError) return refuse(ctx, err);
        throw err;
      }
      const accept = ctx.request.headers.get('Accept');
      if (accept !== undefined && !accept.split(',').some((t) => [CONTACTS_DOCUMENT_TYPE, '*/*', 'application/*'].includes(t.split(';')[0]!.trim().toLowerCase()))) {
        // RFC 6665 §4.2.1.1 / RFC 3261 §21.4.7: we only speak our own document type.
        ctx.respond(406, 'Not Acceptable', { headers: [['Accept', CONTACTS_DOCUMENT_TYPE]] });
        return;
      }
      const requested = expiresOf(ctx.request) ?? SUBSCRIBE_EXPIRES.default;
      if (requested > 0 && requested < SUBSCRIBE_EXPIRES.min) {
        ctx.respond(423, 'Interval Too Brief', { headers: [['Min-Expires', String(SUBSCRIBE_EXPIRES.min)]] });
        return;
      }
      const sub = deps.subscriptions.accept(ctx, { event: CONTACTS_EVENT, expires: Math.min(requested, SUBSCRIBE_EXPIRES.max), minExpires: SUBSCRIBE_EXPIRES.min });
      deps.notifier.watch(owner, sub);
    },
  };
}

export function contactsCommandHandler(deps: Pick<ContactsSipDeps, 'domain' | 'contacts'>): MethodHandler {
  return {
    module: 'contacts',
    async handle(ctx) {
      if (mediaTypeOf(ctx.request) !== CONTACTS_COMMAND_TYPE) return;
      try {
        const owner = ownerOf(ctx, deps.domain);
        const result = await deps.contacts.apply(owner, parseCommand(ctx.request.body));
        const body: ContactCommandResult = { version: result.version };
        if (result.groupId !== undefined) body.groupId = result.groupId;
        ctx.respond(200, 'OK', { body: Buffer.from(JSON.stringify(body)), contentType: CONTACTS_RESULT_TYPE });
      } catch (err) {
        if (err instanceof ContactError) return refuse(ctx, err);
        throw err;
      }
    },
  };
}

function parseCommand(body: Buffer): ContactCommand {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ContactError('INVALID_COMMAND', 'the body is not JSON');
  }
  if (checkCommand.Check(value)) return value;
  const op = typeof value === 'object' && value !== null && 'op' in value ? (value as { op: unknown }).op : undefined;
  const check = typeof op === 'string' ? checkByOp.get(op) : undefined;
  if (!check) throw new ContactError('INVALID_COMMAND', `unknown op; one of ${[...checkByOp.keys()].join(', ')}`);
  const first = check.Errors(value).First();
  throw new ContactError('INVALID_COMMAND', first ? `${op} at ${first.path || '/'}: ${first.message}` : CONTACT_ERRORS.INVALID_COMMAND.message);
}

export type { ContactErrorCode };
