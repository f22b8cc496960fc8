/**
 * What every request handler receives. Handlers answer through `ctx.respond` (or hand the
 * transaction to the proxy core); the dispatcher guarantees a defined answer if none does.
 */
import type { SipRequest, SipResponse } from '../sip/message/types';
import type { ServerTransaction } from '../sip/transaction/types';
import type { Flow } from '../sip/transport/types';

export interface RequestContext {
  readonly tx: ServerTransaction;
  readonly request: SipRequest;
  readonly flow: Flow;
  /** Set by the authentication step: the user part of the authenticated AOR (`alice`). */
  user?: string;
  /** How the user was authenticated. */
  authMethod?: 'digest' | 'bearer' | 'flow' | 'peer';
  /** Set by Route pre-processing (§16.4) when the top Route was our own Record-Route: the dialog's flows. */
  dialog?: import('../sip/proxy/flow-token').FlowToken;
  /** True once a final response was sent or the proxy took the transaction. */
  handled: boolean;
  respond(status: number, reason?: string, opts?: ResponseOptions): void;
  /** Sends a response built elsewhere (e.g. an auth challenge). */
  send(response: SipResponse): void;
}

export interface ResponseOptions {
  headers?: [string, string][];
  body?: Buffer;
  contentType?: string;
  toTag?: string;
}

/** A step in the chain (drachtio-style): call `next()` to pass the request on. */
export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void>;
