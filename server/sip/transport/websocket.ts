/**
 * SIP over WebSocket (RFC 7118). `attachWebSocket` listens on an existing http(s) server's 'upgrade'
 * event for one path only, so fastify routes and socket.io (other paths) share the port. The `sip`
 * subprotocol is required (§4); each text or binary frame carries exactly one SIP message (§5).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { parseMessage } from '../message/parse';
import { FlowBase } from './flow';
import { ActivityTimers } from './activity';
import { TickCork } from './tick-cork';
import { coreOf } from './layer';
import type { TransportCore } from './core';
import type { TransportLayer } from './types';

export type WebSocketAuthenticate = (req: IncomingMessage) => Promise<Map<string, unknown> | undefined | 'reject'>;

export interface WebSocketOptions {
  /** URL path of the SIP endpoint, e.g. `/sip`. */
  path: string;
  /** Runs before the handshake completes: attributes for the flow, `undefined` (anonymous) or 'reject' (401). */
  authenticate?: WebSocketAuthenticate;
  /** Force WSS/WS naming; by default WSS when the server is an https.Server. */
  secure?: boolean;
}

const SUBPROTOCOL = 'sip';

class WsFlow extends FlowBase {
  protected readonly activity: ActivityTimers;
  private readonly cork: TickCork;
  /** Frames ws still delivered after pause() (it empties its buffer first), kept in order. */
  private held: Buffer[] = [];
  private holding = false;

  constructor(
    private readonly ws: WebSocket,
    req: IncomingMessage,
    transport: 'WS' | 'WSS',
    private readonly core: TransportCore,
  ) {
    const socket = req.socket;
    super(
      transport,
      { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      true,
      core.options.maxSendBufferBytes,
    );
    this.cork = new TickCork(socket);
    const { idleTimeoutMs } = core.options.limits;
    // Browsers answer pings by themselves, so a quiet but healthy tab is kept alive by our pings;
    // only a peer that stops answering pongs runs into the idle timeout.
    this.activity = new ActivityTimers(idleTimeoutMs, 0, (reason) => this.close(reason));
    const pinger = idleTimeoutMs > 0 ? setInterval(() => this.ping(), Math.max(1, Math.floor(idleTimeoutMs / 3))) : undefined;
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(data, isBinary));
    ws.on('pong', () => this.activity.touch());
    ws.on('ping', () => this.activity.touch());
    ws.on('error', (err) => this.close(`websocket error: ${err.message}`));
    ws.on('close', (code: number) => {
      if (pinger) clearInterval(pinger);
      this.activity.stop();
      this.markClosed(`closed by peer (${code})`);
    });
  }

  private onFrame(data: RawData, _isBinary: boolean): void {
    if (this.closed || this.inputClosed) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (this.holding) {
      this.held.push(buf);
      return;
    }
    this.onBytes(buf);
  }

  private onBytes(buf: Buffer): void {
    this.activity.touch();
    // sip.js and JsSIP send the RFC 5626 CRLF ping inside a frame; answer it like on TCP.
    if (isBlank(buf)) {
      if (buf.length >= 4) this.sendRaw('\r\n');
      return;
    }
    let message;
    try {
      message = parseMessage(buf, this.core.options.parser);
    } catch (err) {
      this.core.parseError(err, buf, this);
      return;
    }
    this.core.receive(message, this);
  }

  private ping(): void {
    if (!this.closed) this.ws.ping();
  }

  protected stopInput(): void {
    this.activity.stop();
  }

  protected bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  protected pauseInput(): void {
    this.holding = true;
    this.ws.pause();
  }

  protected resumeInput(): void {
    this.holding = false;
    while (this.held.length > 0 && !this.holding && !this.closed && !this.inputClosed) this.onBytes(this.held.shift()!);
    if (!this.holding && !this.closed && !this.inputClosed) this.ws.resume();
  }

  protected write(data: Buffer | string): void {
    this.cork.hold();
    // Text frames: SIP is UTF-8 text and browsers' sip.js expects strings (RFC 7118 §5).
    this.ws.send(typeof data === 'string' ? data : data.toString('utf8'));
  }

  protected destroy(reason: string): void {
    this.activity.stop();
    // 1000 normal closure; the reason is ours (never the URL or a token) and clipped to the 123-byte limit.
    this.ws.close(1000, reason.slice(0, 120));
    // A peer that never answers the close would hold a shutting-down server open: terminated after
    // 2 s (a ref'd timer, for that reason; cleared when the socket goes).
    const timer = setTimeout(() => this.ws.terminate(), 2_000);
    this.ws.once('close', () => clearTimeout(timer));
  }
}

function isBlank(buf: Buffer): boolean {
  for (const b of buf) if (b !== 13 && b !== 10 && b !== 32 && b !== 9) return false;
  return true;
}

function refuse(socket: Duplex, status: number, text: string, message: string, extra: string[] = []): void {
  const body = `${message}\n`;
  socket.end(
    [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, ...extra, '', body].join('\r\n'),
  );
}

function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  return (raw ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
}

/** Path of the request URL; the query (which may carry `access_token`) is never logged. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export interface WebSocketAttachment {
  /** Stops accepting upgrades on the path and closes its flows. */
  close(): void;
}

export function attachWebSocket(layer: TransportLayer, httpServer: HttpServer, options: WebSocketOptions): WebSocketAttachment {
  const core = coreOf(layer);
  const transport = (options.secure ?? httpServer instanceof HttpsServer) ? 'WSS' : 'WS';
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: core.options.parser.maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    clientTracking: false,
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (pathOf(req) !== options.path) return; // someone else's upgrade (socket.io, ...)
    void upgrade(req, socket, head).catch((err) => {
      core.logger.warn(`sip WS upgrade failed: ${(err as Error).message}`);
      if (!socket.destroyed) refuse(socket, 500, 'Internal Server Error', 'SIP WebSocket upgrade failed');
    });
  };

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const remote = req.socket.remoteAddress ?? '';
    if (!offeredProtocols(req).includes(SUBPROTOCOL)) {
      core.logger.debug(`sip WS handshake from ${remote} refused: no "sip" subprotocol`);
      refuse(socket, 400, 'Bad Request', 'SIP over WebSocket requires the "sip" subprotocol (Sec-WebSocket-Protocol: sip, RFC 7118)');
      return;
    }
    const admission = core.admit(remote);
    if (!admission.ok) {
      core.logger.debug(`sip WS handshake from ${remote} refused: ${admission.reason}`);
      refuse(socket, 503, 'Service Unavailable', 'Too many connections', ['Retry-After: 10']);
      return;
    }
    let released = false;
    const release = () => {
      if (!released) core.limiter.release(admission.key);
      released = true;
    };
    try {
      const attributes = options.authenticate ? await options.authenticate(req) : undefined;
      if (attributes === 'reject') {
        core.logger.debug(`sip WS handshake from ${remote} refused: authentication`);
        refuse(socket, 401, 'Unauthorized', 'Authentication required');
        release();
        return;
      }
      if (socket.destroyed) {
        release();
        return;
      }
      // ws aborts a malformed handshake without calling back: the slot is freed when the socket goes.
      socket.once('close', release);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const flow = new WsFlow(ws, req, transport, core);
        if (attributes) for (const [k, v] of attributes) flow.attributes.set(k, v);
        released = true; // the flow owns the slot now
        socket.off('close', release);
        core.register(flow, admission.key);
      });
    } catch (err) {
      release();
      throw err;
    }
  }

  httpServer.on('upgrade', onUpgrade);
  return {
    close: () => {
      httpServer.off('upgrade', onUpgrade);
      for (const flow of [...core.flows.values()]) if (flow instanceof WsFlow) flow.close('shutting down');
      wss.close();
    },
  };
}
