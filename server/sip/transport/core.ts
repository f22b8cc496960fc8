/**
 * The part of the transport layer every socket type shares: the flow registry, flood limits, the
 * receive pipeline (rate limit, §18.2.1 Via stamping, delivery) and parse-error handling.
 */
import type { ParserLimits, SipMessage, SipRequest } from '../message/types';
import { SipParseError } from '../message/errors';
import { createResponse, errorResponseFor } from '../message/response';
import type { SipLimits } from '../../config';
import type { Flow, TransportEvents } from './types';
import { SafeEmitter } from './events';
import type { FlowBase } from './flow';
import { ConnectionLimiter, type Admission, type LimitKey } from './limits';
import { shortId, type TransportLogger } from './logger';
import { stampVia } from './via-stamp';

/** How long a flow over its IP's request rate is not read (ms). */
export const THROTTLE_MS = 100;

export interface CoreOptions {
  parser: ParserLimits;
  limits: SipLimits;
  logger: TransportLogger;
  limitKey?: LimitKey;
  /** Bytes queued towards one peer before its flow is closed (default 1 MiB). */
  maxSendBufferBytes: number;
  /** How long a flow that stopped reading may still send answers (default DRAIN_GRACE_MS). */
  drainGraceMs?: number;
}

function isResponseOrAck(raw: Buffer): boolean {
  let i = 0;
  while (raw[i] === 13 || raw[i] === 10) i++;
  const start = raw.toString('latin1', i, i + 4);
  return start === 'SIP/' || start === 'ACK ';
}

export class TransportCore {
  readonly events: SafeEmitter;
  readonly flows = new Map<string, FlowBase>();
  readonly limiter: ConnectionLimiter;
  /** flow id -> limiter key, for flows that count against a peer's limits (inbound ones). */
  private readonly limitKeys = new Map<string, string>();
  closing = false;

  constructor(readonly options: CoreOptions) {
    this.events = new SafeEmitter((event, err) => options.logger.warn(`sip transport: ${event} listener threw: ${String(err)}`));
    this.limiter = new ConnectionLimiter(options.limits, options.limitKey);
  }

  get logger(): TransportLogger {
    return this.options.logger;
  }

  /** Reserves a connection slot for a peer about to connect. */
  admit(address: string): Admission {
    if (this.closing) return { ok: false, reason: 'shutting down' };
    return this.limiter.admit(address);
  }

  /** Makes a flow visible to the upper layers; `limitKey` (from `admit`) is released when it closes. */
  register(flow: FlowBase, limitKey?: string): void {
    this.flows.set(flow.id, flow);
    if (limitKey !== undefined) this.limitKeys.set(flow.id, limitKey);
    this.logger.debug(`sip ${flow.transport} flow ${shortId(flow.id)} open ${flow.inbound ? 'from' : 'to'} ${flow.remote.address}:${flow.remote.port}`);
    flow.onClose((reason) => {
      this.flows.delete(flow.id);
      const key = this.limitKeys.get(flow.id);
      if (key !== undefined) {
        this.limitKeys.delete(flow.id);
        this.limiter.release(key);
      }
      this.logger.debug(`sip ${flow.transport} flow ${shortId(flow.id)} closed: ${reason}`);
      this.events.emit('flowClose', flow, reason);
    });
    this.events.emit('flowOpen', flow);
  }

  /** A complete message from `flow` (§18.2.1 for requests; responses pass untouched, §18.1.2). */
  receive(message: SipMessage, flow: FlowBase): void {
    if (flow.closed) return;
    if (message.kind === 'request') {
      if (!this.admitRequest(message, flow)) return;
      try {
        stampVia(message, flow.remote);
      } catch (err) {
        // The parser accepted the message but its top Via is unusable: answer 400 when we can.
        this.parseError(err instanceof SipParseError ? err : new SipParseError(400, 'Bad Request (Via)'), undefined, flow, message);
        return;
      }
    }
    this.events.emit('message', message, flow);
  }

  /**
   * A message that did not parse: answer it when `errorResponseFor` can (it found Via, From, To,
   * Call-ID and CSeq), close the flow when the stream cannot be re-synchronised or nobody can be told.
   */
  parseError(error: unknown, raw: Buffer | undefined, flow: FlowBase, parsed?: SipRequest): void {
    const err = error instanceof SipParseError ? error : new SipParseError(400, 'Bad Request');
    let answered = false;
    try {
      if (parsed) answered = flow.send(createResponse(parsed, err.status, err.reason));
      else if (raw) {
        const bytes = errorResponseFor(raw, err);
        if (bytes) answered = flow.sendRaw(bytes);
      }
    } catch {
      answered = false;
    }
    // Responses and ACKs are never answered (§17.1.1.3, §18.1.2): a readable one is dropped, not fatal.
    const unanswerable = raw !== undefined && !err.options.fatal && isResponseOrAck(raw);
    if ((!answered && !unanswerable) || err.options.fatal) flow.drain(`unparseable message: ${err.status} ${err.reason}`, this.options.drainGraceMs);
  }

  /**
   * Per-IP token bucket; over it a request is answered 503 + Retry-After (ACK cannot be answered)
   * and the flow stops being read for THROTTLE_MS, so a flooder gets one 503 per pause per
   * connection instead of one per request, and the CPU stays with everyone else.
   */
  private admitRequest(request: SipRequest, flow: FlowBase): boolean {
    const key = this.limitKeys.get(flow.id);
    if (key === undefined) return true;
    const verdict = this.limiter.takeRequest(key);
    if (verdict.ok) return true;
    flow.throttle(THROTTLE_MS);
    if (request.method !== 'ACK') {
      try {
        const busy = createResponse(request, 503, 'Service Unavailable');
        busy.headers.set('Retry-After', String(verdict.retryAfter));
        flow.send(busy);
      } catch {
        // A request too broken to answer is simply dropped while the peer floods.
      }
    }
    return false;
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.events.on(event, listener);
  }
}
