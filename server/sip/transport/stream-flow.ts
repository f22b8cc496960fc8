/**
 * A flow over a TCP or TLS socket (RFC 3261 §18.3 stream framing by Content-Length, RFC 5626 §4.4.1
 * CRLF keep-alive). Owns the socket, its framer and its liveness timers.
 */
import type { Socket } from 'node:net';
import type { SipMessage } from '../message/types';
import { StreamFramer } from '../message/framer';
import { FlowBase } from './flow';
import { ActivityTimers } from './activity';
import { TickCork } from './tick-cork';
import type { TransportCore } from './core';

/** How long a closing socket may take to flush its last bytes (e.g. an error response) before it is destroyed. */
const FLUSH_GRACE_MS = 2_000;

export class StreamFlow extends FlowBase {
  protected readonly activity: ActivityTimers;
  private readonly framer: StreamFramer;
  private readonly cork: TickCork;

  constructor(
    private readonly socket: Socket,
    transport: 'TCP' | 'TLS',
    inbound: boolean,
    private readonly core: TransportCore,
  ) {
    super(
      transport,
      { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      inbound,
      core.options.maxSendBufferBytes,
    );
    const { limits, parser } = core.options;
    this.activity = new ActivityTimers(limits.idleTimeoutMs, limits.messageAssemblyTimeoutMs, (reason) => this.close(reason));
    this.framer = new StreamFramer(
      parser,
      (message: SipMessage) => this.onMessage(message),
      (error, partial) => this.core.parseError(error, partial?.raw, this),
      () => this.onKeepAlive(),
    );
    this.cork = new TickCork(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    socket.on('close', () => {
      this.activity.stop();
      this.markClosed('closed by peer');
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.inputClosed) return;
    this.framer.push(chunk);
    if (!this.closed && !this.inputClosed) this.activity.assembling(this.framer.inMessage);
  }

  private onMessage(message: SipMessage): void {
    if (this.closed || this.inputClosed) return;
    this.activity.touch();
    this.activity.assembling(false);
    this.core.receive(message, this);
  }

  /** RFC 5626 §4.4.1: a double-CRLF ping is answered by a single-CRLF pong. */
  private onKeepAlive(): void {
    if (this.closed) return;
    this.activity.touch();
    this.sendRaw('\r\n');
  }

  protected stopInput(): void {
    this.activity.stop();
    this.socket.pause();
  }

  protected bufferedBytes(): number {
    return this.socket.writableLength;
  }

  protected pauseInput(): void {
    this.framer.pause();
    this.socket.pause();
  }

  protected resumeInput(): void {
    this.framer.resume();
    if (!this.throttled && !this.closed && !this.inputClosed) this.socket.resume();
  }

  protected write(data: Buffer | string): void {
    this.cork.hold();
    this.socket.write(data);
  }

  protected destroy(): void {
    this.activity.stop();
    if (this.socket.destroyed) return; // reset or errored: nothing left to flush
    this.socket.end();
    // A peer that never closes its side would keep the socket (and a server shutting down, which
    // waits for its connections) forever: destroyed after the grace. Not unref'd, for that reason.
    const timer = setTimeout(() => this.socket.destroy(), FLUSH_GRACE_MS);
    this.socket.once('close', () => clearTimeout(timer));
  }
}
