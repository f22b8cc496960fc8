/**
 * What every flow shares (RFC 5626 §3): an unguessable id, per-flow attributes, an idempotent close
 * that fires its listeners once, and a bounded send buffer. Subclasses own the socket.
 */
import { randomBytesPooled } from '../random';
import type { SipMessage } from '../message/types';
import { serialize } from '../message/serialize';
import type { Endpoint, Flow, TransportName } from './types';
import type { ActivityTimers } from './activity';

/** 128 random bits, URL-safe: flow ids end up in flow tokens and Path/Record-Route URIs. */
export function newFlowId(): string {
  return randomBytesPooled(16).toString('base64url');
}

export type CloseListener = (reason: string) => void;

/** How long a flow that stopped reading (unparseable input) may still send answers before it closes. */
export const DRAIN_GRACE_MS = 2_000;

export abstract class FlowBase implements Flow {
  readonly id = newFlowId();
  readonly attributes = new Map<string, unknown>();
  private isClosed = false;
  /** Set by `drain()`: nothing more is read, answers to what already arrived may still be sent. */
  protected inputClosed = false;
  private readonly closeListeners: CloseListener[] = [];
  private throttleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly transport: TransportName,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    readonly inbound: boolean,
    /** Bytes queued towards a peer that does not read before we give up on it. */
    private readonly maxSendBufferBytes: number,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  send(message: SipMessage): boolean {
    if (this.isClosed) return false;
    return this.sendRaw(serialize(message));
  }

  /** Writes bytes as one unit (one WebSocket frame); closes the flow when its send buffer overflows. */
  sendRaw(data: Buffer | string): boolean {
    if (this.isClosed) return false;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.bufferedBytes() + size > this.maxSendBufferBytes) {
      this.close('send buffer overflow');
      return false;
    }
    try {
      this.write(data);
      return true;
    } catch (err) {
      this.close(`write failed: ${(err as Error).message}`);
      return false;
    }
  }

  close(reason = 'closed locally'): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.destroy(reason);
    this.fireClose(reason);
  }

  /**
   * Stops reading and closes after a grace period. A stream that turned to garbage cannot be
   * re-synchronised (§18.3), but the requests that arrived whole before it still get their answers.
   */
  drain(reason: string, graceMs: number = DRAIN_GRACE_MS): void {
    if (this.isClosed || this.inputClosed) return;
    this.inputClosed = true;
    this.stopInput();
    const timer = setTimeout(() => this.close(reason), graceMs);
    this.onClose(() => clearTimeout(timer));
  }

  /**
   * Stops reading from this peer for `ms` (it went over its request rate): what it already sent
   * waits unread, in order, and TCP flow control slows the sender down, so a flood costs us one
   * 503 per pause instead of one per request. No-op while already throttled.
   */
  throttle(ms: number): void {
    if (this.isClosed || this.inputClosed || this.throttleTimer) return;
    this.pauseInput();
    this.throttleTimer = setTimeout(() => {
      this.throttleTimer = undefined;
      if (this.isClosed || this.inputClosed) return;
      try {
        this.resumeInput();
      } catch (err) {
        this.close(`input failed after a pause: ${(err as Error).message}`);
      }
    }, ms);
  }

  /** Reading is paused by throttle(). */
  get throttled(): boolean {
    return this.throttleTimer !== undefined;
  }

  setIdleTimeout(ms: number): void {
    if (!this.isClosed && !this.inputClosed) this.activity.setIdle(ms);
  }

  onClose(listener: CloseListener): void {
    if (this.isClosed) queueMicrotask(() => listener('closed'));
    else this.closeListeners.push(listener);
  }

  /** Called by the subclass when the socket went away by itself; a no-op after `close()`. */
  protected markClosed(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.fireClose(reason);
  }

  private fireClose(reason: string): void {
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.throttleTimer = undefined;
    const listeners = this.closeListeners.splice(0);
    for (const listener of listeners) {
      try {
        listener(reason);
      } catch {
        // A faulty listener must not keep the others from learning that the flow is gone.
      }
    }
  }

  /** The subclass's liveness timers. */
  protected abstract readonly activity: ActivityTimers;
  /** Stops reading from the socket and the liveness timers (the drain timer closes the flow). */
  protected abstract stopInput(): void;
  protected abstract bufferedBytes(): number;
  /** Stops delivering messages (also ones already read) until resumeInput(). */
  protected abstract pauseInput(): void;
  /** Delivers what was held back; resumes reading unless that throttled the flow again. */
  protected abstract resumeInput(): void;
  protected abstract write(data: Buffer | string): void;
  /** Tears the socket down (the flow is already marked closed). */
  protected abstract destroy(reason: string): void;
}
