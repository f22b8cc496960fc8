/**
 * Raw SIP connections for tests: bytes in, framed messages out, every wait bounded by a deadline.
 * TCP frames by Content-Length (RFC 3261 §18.3); WebSocket carries one message per frame
 * (RFC 7118 §5.2, subprotocol `sip`).
 */
import { isUtf8 } from 'node:buffer';
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { parseWireMessage, StreamFramer, type WireMessage } from './sip-wire';

export type TestTransport = 'TCP' | 'WS';

export interface NextOptions {
  timeoutMs?: number;
  /** Messages that do not match stay queued for later calls. */
  match?: (m: WireMessage) => boolean;
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

interface Waiter {
  match: (m: WireMessage) => boolean;
  resolve: (m: WireMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Queue + waiters shared by both transports. */
export abstract class SipConnection {
  abstract readonly transport: TestTransport;
  abstract readonly localAddress: string;
  abstract readonly localPort: number;
  /** Every message received, in order (diagnostics). */
  readonly received: WireMessage[] = [];
  /** Set by a SipEndpoint that takes over dispatching; otherwise messages queue for next(). */
  onMessage?: (m: WireMessage) => void;
  /** Frames/bytes that could not be parsed as SIP (e.g. the server's reply to junk). */
  readonly unparsed: Buffer[] = [];
  private readonly queue: WireMessage[] = [];
  private readonly waiters: Waiter[] = [];
  private closedFlag = false;
  private closeWaiters: Array<() => void> = [];
  closeReason = '';

  get isClosed(): boolean {
    return this.closedFlag;
  }

  abstract send(data: string | Buffer): void;
  abstract close(): void;

  protected deliver(m: WireMessage): void {
    this.received.push(m);
    if (this.onMessage) {
      this.onMessage(m);
      return;
    }
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      clearTimeout(w!.timer);
      w!.resolve(m);
    } else this.queue.push(m);
  }

  protected markClosed(reason: string): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.closeReason = reason;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`connection closed (${reason}) while waiting for a message`));
    }
    for (const f of this.closeWaiters.splice(0)) f();
  }

  /** The next message that matches, waiting at most `timeoutMs` (default 5 s). */
  next(options: NextOptions = {}): Promise<WireMessage> {
    const match = options.match ?? (() => true);
    const i = this.queue.findIndex(match);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]!);
    if (this.closedFlag) return Promise.reject(new Error(`connection closed (${this.closeReason})`));
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new TimeoutError(`no matching SIP message within ${timeoutMs} ms on ${this.transport} :${this.localPort}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves true when the peer closed within `timeoutMs`, false otherwise. */
  waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.closedFlag) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

export interface ConnectOptions {
  host?: string;
  /** Source address (e.g. 127.0.0.2 to look like another peer on loopback). */
  localAddress?: string;
  timeoutMs?: number;
}

export class TcpSipConnection extends SipConnection {
  readonly transport = 'TCP' as const;
  private readonly framer = new StreamFramer();

  private constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      let messages: WireMessage[];
      try {
        messages = this.framer.push(chunk);
      } catch {
        this.unparsed.push(chunk);
        return;
      }
      for (const m of messages) this.deliver(m);
    });
    socket.on('close', () => this.markClosed('tcp close'));
    socket.on('error', (e) => this.markClosed(`tcp error: ${e.message}`));
  }

  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Bytes buffered that never became a whole message (e.g. the server's half-sent reply). */
  get pendingBytes(): number {
    return this.framer.pending;
  }

  static open(port: number, options: ConnectOptions = {}): Promise<TcpSipConnection> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: options.host ?? '127.0.0.1', port, localAddress: options.localAddress });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TimeoutError(`TCP connect to ${port} timed out`));
      }, options.timeoutMs ?? 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        socket.setNoDelay(true);
        resolve(new TcpSipConnection(socket));
      });
      const onError = (e: Error): void => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once('error', onError);
    });
  }

  send(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  close(): void {
    this.socket.destroy();
    this.markClosed('closed by test');
  }
}

export class WsSipConnection extends SipConnection {
  readonly transport = 'WS' as const;

  private constructor(
    private readonly ws: WebSocket,
    private readonly local: { address: string; port: number },
  ) {
    super();
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      // RFC 7118 §6: CRLF keep-alives may appear on WebSocket too.
      if (buf.toString('latin1').trim() === '') return;
      try {
        this.deliver(parseWireMessage(buf));
      } catch {
        this.unparsed.push(buf);
      }
    });
    ws.on('close', (code) => this.markClosed(`ws close ${code}`));
    ws.on('error', (e) => this.markClosed(`ws error: ${e.message}`));
  }

  get localAddress(): string {
    return this.local.address;
  }

  get localPort(): number {
    return this.local.port;
  }

  /** Negotiated subprotocol (RFC 7118 §4: must be `sip`). */
  get protocol(): string {
    return this.ws.protocol;
  }

  static open(url: string, options: ConnectOptions = {}): Promise<WsSipConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'sip', { localAddress: options.localAddress, handshakeTimeout: options.timeoutMs ?? 5_000 });
      ws.once('open', () => {
        ws.removeListener('error', onError);
        ws.removeListener('unexpected-response', onUnexpected);
        // ws exposes the socket only internally; its address is what a server sees.
        const sock = (ws as unknown as { _socket?: Socket })._socket;
        resolve(new WsSipConnection(ws, { address: sock?.localAddress ?? '127.0.0.1', port: sock?.localPort ?? 0 }));
      });
      const onError = (e: Error): void => reject(e);
      const onUnexpected = (_req: unknown, res: { statusCode?: number }): void => {
        ws.terminate();
        reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
      };
      ws.once('error', onError);
      ws.once('unexpected-response', onUnexpected);
    });
  }

  /** Text frame when the bytes are UTF-8, binary otherwise (RFC 7118 §5.2: text frames must be UTF-8). */
  send(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(buf, { binary: !isUtf8(buf) });
  }

  /** Sends as a binary frame (RFC 7118 §5.2 allows either). */
  sendBinary(data: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary: true });
  }

  close(): void {
    this.ws.terminate();
    this.markClosed('closed by test');
  }
}
