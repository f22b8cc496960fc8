/**
 * Browsers reach an MCU's socket.io signaling through the Front End's own origin (the page's CSP
 * allows WebSockets only back to its host, and the MCU need not be reachable from outside):
 * `GET /mcu-media/<mcuId>/<signaling path>...` with `Upgrade: websocket` is relayed as bytes to
 * that registered MCU, the path prefix removed. Only MCUs the Conferencing Server Factory knows
 * are reachable, and only on their registered API address; the media credential stays the
 * admission (the MCU checks it). Media itself (WebRTC) goes to the MCU directly.
 */
import { connect } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ConferencingServerFactory } from '../mcu-factory/index';
import type { Logger } from '../../log';

export const MEDIA_PROXY_PREFIX = '/mcu-media/';
const PATH = /^\/mcu-media\/([A-Za-z0-9._:@+-]{1,128})(\/[^\s]*)$/;

/** The same-origin path a browser uses for an MCU's signaling path. */
export function proxyPathFor(mcuId: string, signalingPath: string): string {
  return `${MEDIA_PROXY_PREFIX}${encodeURIComponent(mcuId)}${signalingPath}`;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachMediaProxy(server: Server, mcus: Pick<ConferencingServerFactory, 'list'>, log: Logger): () => void {
  const sockets = new Set<Duplex>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const m = PATH.exec(req.url ?? '');
    if (!m) return; // someone else's upgrade (SIP over WebSocket)
    void relay(req, socket, head, decodeURIComponent(m[1]!), m[2]!).catch((err: unknown) => {
      log.debug('media proxy failed', { err });
      if (!socket.destroyed) refuse(socket, 502, 'Bad Gateway');
    });
  };

  async function relay(req: IncomingMessage, socket: Duplex, head: Buffer, mcuId: string, rest: string): Promise<void> {
    const mcu = (await mcus.list()).find((x) => x.mcuId === mcuId && x.live);
    if (!mcu) return refuse(socket, 404, 'Not Found');
    const target = new URL(mcu.apiUrl);
    const upstream = connect(Number(target.port || 80), target.hostname);
    sockets.add(socket);
    const cleanup = () => {
      sockets.delete(socket);
      upstream.destroy();
      socket.destroy();
    };
    upstream.once('error', cleanup);
    socket.once('error', cleanup);
    socket.once('close', cleanup);
    upstream.once('close', cleanup);
    upstream.once('connect', () => {
      const lines = [`GET ${rest} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  }

  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
}
