/**
 * IM policy (RFC 3428 MESSAGE, RFC 3994 typing indications) in front of the router: a dispatcher
 * handler for MESSAGE that answers only to refuse and otherwise passes the request on, so the
 * router forks it to every endpoint of the recipient as for any request (no second delivery path).
 *
 * Checks, in this order, so that nothing before the last one depends on the recipient:
 *   1. body size          413, over an explicit limit smaller than the parser's (RFC 3428 §7)
 *   2. Content-Type       415 with Accept (RFC 3261 §21.4.13) outside the allow-list
 *   3. typing rate        503 with Retry-After, per sender, for application/im-iscomposing+xml only
 *   4. blocked sender     answered exactly as the router answers for a user nobody is signed in as
 *                         (480), so a blocked sender cannot tell a block from an offline user
 * A text MESSAGE from a signed-in user to another person that gets a 2xx is then copied to the
 * sender's other endpoints (sent-copies.ts); an X-OCS-Sent-To header from a client is removed.
 */
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import { formatUri, fromOf, mediaTypeOf, SipError } from '../sip/message/index';
import type { ContactService } from '../contacts/index';
import { type RateLimit, TokenBuckets } from './rate';
import { SENT_TO_HEADER, type SentCopies } from './sent-copies';

export const IS_COMPOSING_TYPE = 'application/im-iscomposing+xml';

export interface ImPolicyOptions {
  /** Bytes of MESSAGE body; larger ones get 413. Clamped to the parser's body limit. */
  maxBodyBytes: number;
  /** Media types (lower case) a MESSAGE may carry; others get 415. */
  contentTypes: readonly string[];
  /** Typing indications per sender. */
  typingRate: RateLimit;
}

/**
 * text/html is left out: a web client would have to sanitize it, and plain text is what every
 * client sends. message/cpim (RFC 3862) is allowed as an envelope; its inner type is the client's.
 */
export const DEFAULT_IM_POLICY: ImPolicyOptions = {
  maxBodyBytes: 16 * 1024,
  contentTypes: ['text/plain', IS_COMPOSING_TYPE, 'message/cpim'],
  // RFC 3994 §4: a composer sends on state changes and refreshes every 120 s by default; bursts of 10 are generous.
  typingRate: { capacity: 10, perSecond: 1 },
};

/** The router's answers for a user of our domain with no endpoint (server/routing/router.ts): a block mimics them. */
export const OFFLINE_REASON = 'Temporarily Unavailable (nobody is signed in)';
export const OFFLINE_GRUU_REASON = 'Temporarily Unavailable (that endpoint is not signed in)';

export interface ImPolicyDeps {
  domain: string;
  contacts: Pick<ContactService, 'accessLevel'>;
  options: ImPolicyOptions;
  /** Absent: no sent copies (unit tests of the policy alone). */
  sentCopies?: Pick<SentCopies, 'send'>;
}

export class ImPolicy implements MethodHandler {
  readonly module = 'im';
  private readonly typing: TokenBuckets;
  private readonly allowed: Set<string>;

  constructor(private readonly deps: ImPolicyDeps) {
    this.typing = new TokenBuckets(deps.options.typingRate);
    this.allowed = new Set(deps.options.contentTypes.map((t) => t.toLowerCase()));
  }

  async handle(ctx: RequestContext): Promise<void> {
    const req = ctx.request;
    const { maxBodyBytes } = this.deps.options;
    if (req.body.length > maxBodyBytes) {
      throw new SipError(413, `Request Entity Too Large (message body over ${maxBodyBytes} bytes)`);
    }
    const type = mediaTypeOf(req);
    // A MESSAGE without a body carries nothing to check (some clients use it as a probe).
    if (req.body.length > 0 && (type === undefined || !this.allowed.has(type))) {
      throw new SipError(415, 'Unsupported Media Type', [['Accept', [...this.allowed].join(', ')]]);
    }
    const sender = this.senderOf(ctx);
    if (type === IS_COMPOSING_TYPE && !this.typing.take(sender)) {
      throw new SipError(503, 'Service Unavailable (typing indications too frequent)', [['Retry-After', String(this.typing.retryAfter(sender))]]);
    }
    // Only a Front End marks a sent copy (this one, or another member of the pool).
    if (ctx.authMethod !== 'peer' && req.headers.has(SENT_TO_HEADER)) req.headers.remove(SENT_TO_HEADER);
    // Out of dialog to a user of ours: does the recipient block the sender?
    const uri = req.uri;
    if (!ctx.dialog && uri.host === this.deps.domain && uri.user) {
      const recipient = uri.user.toLowerCase();
      if (recipient !== ctx.user && (await this.deps.contacts.accessLevel(recipient, sender)) === 'blocked') {
        throw new SipError(480, uri.params.has('gr') ? OFFLINE_GRUU_REASON : OFFLINE_REASON);
      }
      const user = ctx.user;
      const copies = this.deps.sentCopies;
      // Copies are made where the message entered the pool, not again by a member it was forwarded to.
      if (copies && user && ctx.authMethod !== 'peer' && recipient !== user && type?.startsWith('text/')) {
        ctx.tx.onFinal((res) => {
          if (res.status >= 200 && res.status < 300) void copies.send(user, req, ctx.flow);
        });
      }
    }
    // Not answered: the router forks it to the recipient's endpoints.
  }

  /** The authenticated user's AOR; for requests without one (trusted peers), the From URI. */
  private senderOf(ctx: RequestContext): string {
    if (ctx.user) return `sip:${ctx.user}@${this.deps.domain}`;
    return formatUri({ ...fromOf(ctx.request).uri, params: new Map(), headers: new Map() });
  }
}
