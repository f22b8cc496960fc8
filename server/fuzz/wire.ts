/**
 * How the fuzzer puts bytes on the wire: a message split at any byte across TCP segments (two
 * writes with a pause between, Nagle off, so they leave as separate segments) or across WebSocket
 * frames (RFC 6455 §5.4 fragmentation: a text/binary frame without FIN, then a continuation frame;
 * RFC 7118 §5.2 still sees one SIP message). The WebSocket side is a SipConnection of its own so
 * the harness's waits (next, waitClosed) work on it too.
 */
import { isUtf8 } from 'node:buffer';
import WebSocket from 'ws';
import { SipConnection, TcpSipConnection, type ConnectOptions } from '../testing/connection';
import { parseWireMessage } from '../testing/sip-wire';

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class FragmentingWsConnection extends SipConnection {
  readonly transport = 'WS' as const;

  private constructor(
    private readonly ws: WebSocket,
    readonly localAddress: string,
    readonly localPort: number,
  ) {
    super();
    ws.on('message', (data: Buffer) => {
      if (data.toString('latin1').trim() === '') return;
      try {
        this.deliver(parseWireMessage(data));
      } catch {
        this.unparsed.push(data);
      }
    });
    ws.on('close', (code) => this.markClosed(`ws close ${code}`));
    ws.on('error', (e) => this.markClosed(`ws error: ${e.message}`));
  }

  static open(url: string, options: ConnectOptions = {}): Promise<FragmentingWsConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'sip', { localAddress: options.localAddress, handshakeTimeout: options.timeoutMs ?? 5_000, perMessageDeflate: false });
      ws.once('open', () => {
        ws.removeAllListeners('error');
        const sock = (ws as unknown as { _socket?: { localAddress?: string; localPort?: number } })._socket;
        resolve(new FragmentingWsConnection(ws, sock?.localAddress ?? '127.0.0.1', sock?.localPort ?? 0));
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
      });
    });
  }

  send(data: string | Buffer): void {
    this.sendFragments([typeof data === 'string' ? Buffer.from(data, 'utf8') : data]);
  }

  /** One message in as many frames as there are parts (text when the whole is UTF-8). */
  sendFragments(parts: Buffer[]): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const binary = !isUtf8(Buffer.concat(parts));
    parts.forEach((p, i) => this.ws.send(p, { binary, fin: i === parts.length - 1 }));
  }

  close(): void {
    this.ws.terminate();
    this.markClosed('closed by fuzzer');
  }
}

export type FuzzConnection = TcpSipConnection | FragmentingWsConnection;

/** Sends `raw` cut at the given offsets: separate TCP segments, or separate WebSocket frames. */
export async function sendSplit(c: FuzzConnection, raw: Buffer, cuts: number[]): Promise<void> {
  const points = [0, ...cuts.filter((k) => k > 0 && k < raw.length).sort((a, b) => a - b), raw.length];
  const parts = points.slice(1).map((end, i) => raw.subarray(points[i]!, end));
  if (c instanceof FragmentingWsConnection) {
    c.sendFragments(parts);
    return;
  }
  for (const [i, p] of parts.entries()) {
    if (i > 0) await pause(1);
    c.send(p);
  }
}
