/**
 * Contract of the notifier side of SIP-specific event notification (RFC 6665): what a service
 * hands the SubscriptionManager and what it gets back. SIP-level only: nothing here knows users.
 */
import type { SipRequest } from '../message/types';
import type { Flow } from '../transport/types';
import type { LocalAddress } from '../proxy/flow-token';
import type { TransactionLayer } from '../transaction/types';
import type { TransportLayer } from '../transport/types';
import type { Logger } from '../../log';

/**
 * The part of the dispatcher's RequestContext the manager uses (structural, so `server/sip` does not
 * import the dispatcher): the request, the flow it came on, and a way to answer it.
 */
export interface SubscribeContext {
  readonly request: SipRequest;
  readonly flow: Flow;
  respond(status: number, reason?: string, opts?: { headers?: [string, string][]; body?: Buffer; contentType?: string; toTag?: string }): void;
}

/** RFC 6665 §4.1.3 substates of Subscription-State. */
export type SubscriptionStateValue = 'active' | 'pending' | 'terminated';

/** RFC 6665 §4.1.3 reason codes for `terminated` (plus any token a package defines). */
export type TerminationReason = 'deactivated' | 'probation' | 'rejected' | 'timeout' | 'giveup' | 'noresource' | 'invariant' | (string & {});

/** The body of one NOTIFY. */
export interface NotifyContent {
  body: Buffer | string;
  contentType: string;
  extraHeaders?: [string, string][];
}

export interface NotifyOptions extends NotifyContent {
  /** Default: the subscription's current state ('active' unless accepted as 'pending'). */
  state?: SubscriptionStateValue;
  /** With state 'terminated' (RFC 6665 §4.1.3). */
  reason?: TerminationReason;
}

/**
 * Status of a NOTIFY: the final response's status (2xx delivered), 408 when Timer F fired, 503 when
 * the flow failed, 0 when it was not sent because the subscription had already ended.
 */
export type NotifyStatus = number;

export interface AcceptOptions {
  /** The Event package (lower-case token, e.g. `presence`); the request's Event id is kept. */
  event: string;
  /** Granted duration in seconds (the caller clamps the requested one); also the ceiling for refreshes. */
  expires: number;
  /** Refreshes asking for less than this get 423 with Min-Expires (RFC 6665 §4.2.1.1). Default 1. */
  minExpires?: number;
  /** Our Contact URI (without <>); default `sip:<our address on the flow>;transport=...`. */
  contact?: string;
  /** 200 (default) or 202 (RFC 6665 §8.3.1 keeps 202 only for backwards compatibility). */
  status?: 200 | 202;
  /** Start as `pending` (RFC 6665 §4.1.3, authorization awaited) instead of `active`. */
  pending?: boolean;
  /** Extra headers on the 2xx (e.g. `Require: eventlist`, RFC 4662 §5.1). */
  headers?: [string, string][];
}

/** Why a subscription ended (given to onTerminated listeners). */
export interface TerminationInfo {
  reason: TerminationReason | 'unsubscribed' | 'flow-closed' | 'notify-failed' | 'shutdown';
  /** The NOTIFY status that ended it, for 'notify-failed'. */
  status?: number;
}

export interface SubscriptionManagerOptions {
  transactions: TransactionLayer;
  /** For `flowClose` events: subscriptions on a closed flow end (or move, see `reroute`). */
  transport: Pick<TransportLayer, 'on' | 'getFlow'>;
  /** Our address as seen on a flow (Via, Contact). */
  localAddress(flow: Flow): LocalAddress;
  frontEndId: string;
  log: Logger;
  /** Server header value on our responses, User-Agent on our NOTIFYs. */
  serverName: string;
  /**
   * When a subscription's flow closed: another flow to the subscriber's remote target (e.g. the
   * location service's binding for a TCP endpoint that listens). Undefined: the subscription ends.
   */
  reroute?(remoteTarget: string, closed: Flow): Promise<Flow | undefined>;
  now?(): number;
}
