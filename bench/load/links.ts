/**
 * The load generator's connections, kept lean so the generator does not compete with the server
 * for the CPU: replies are framed by Content-Length only (RFC 3261 §18.3) on TCP, one message per
 * frame on WebSocket (RFC 7118 §5.2), and handed on as latin1 strings without parsing.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

export interface Link {
  send(text: string): void;
  /** Ends the connection at once (TCP: RST, so no TIME_WAIT piles up on the generator side). */
  close(): void;
  /** The Via sent-by of this link (RFC 3261 §18.1.1): host:port for TCP, a .invalid name for WS (RFC 7118 §5). */
  readonly sentBy: string;
  readonly transport: 'TCP' | 'WS';
  onMessage: (text: string) => void;
  onClose: () => void;
}

export interface LinkOptions {
  /** Source address: 127.0.0.x stands in for another host on loopback. */
  localAddress?: string;
}

export type Transport = 'TCP' | 'WS';

export const token = (): string => Math.random().toString(36).slice(2, 12);

export function openTcp(port: number, options: LinkOptions = {}): Promise<Link> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress: options.localAddress }, () => {
      socket.setNoDelay(true);
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(link);
    });
    socket.once('error', reject);
    let buffer = '';
    const link: Link = {
      transport: 'TCP',
      get sentBy() {
        return `${socket.localAddress}:${socket.localPort}`;
      },
      send: (t) => void (socket.writable && socket.write(t, 'latin1')),
      close: () => (socket.destroyed ? undefined : socket.resetAndDestroy()),
      onMessage: () => undefined,
      onClose: () => undefined,
    };
    socket.on('close', () => link.onClose());
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        while (buffer.startsWith('\r\n')) buffer = buffer.slice(2);
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(buffer.slice(0, headEnd));
        const end = headEnd + 4 + (m ? Number(m[1]) : 0);
        if (buffer.length < end) return;
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end);
        link.onMessage(message);
      }
    });
  });
}

export function openWs(url: string, options: LinkOptions = {}): Promise<Link> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip', { localAddress: options.localAddress, perMessageDeflate: false });
    const link: Link = {
      transport: 'WS',
      sentBy: `${token()}.invalid`,
      send: (t) => ws.readyState === WebSocket.OPEN && ws.send(t),
      close: () => ws.terminate(),
      onMessage: () => undefined,
      onClose: () => undefined,
    };
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve(link);
    });
    ws.once('error', reject);
    ws.on('close', () => link.onClose());
    ws.on('message', (data: Buffer) => link.onMessage(data.toString('latin1')));
  });
}

export function openLink(transport: Transport, target: { tcpPort: number; wsUrl: string }, options: LinkOptions = {}): Promise<Link> {
  return transport === 'TCP' ? openTcp(target.tcpPort, options) : openWs(target.wsUrl, options);
}
