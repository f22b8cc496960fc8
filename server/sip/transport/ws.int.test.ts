import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { topVia } from '../message/accessors';
import { createResponse } from '../message/response';
import type { SipRequest } from '../message/types';
import { attachWebSocket, type WebSocketOptions } from './websocket';
import { options, startLayer, until, type Harness } from './test-support';

const cleanup: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function wsServer(limits: Parameters<typeof startLayer>[0] = {}, opts: Partial<WebSocketOptions> = {}): Promise<Harness & { http: Server; url: string }> {
  const h = await startLayer(limits);
  const http = createServer((_req, res) => res.end('plain http'));
  const attachment = attachWebSocket(h.layer, http, { path: '/sip', ...opts });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  cleanup.push(async () => {
    attachment.close();
    await h.layer.close();
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });
  return { ...h, http, url: `ws://127.0.0.1:${port}` };
}

function client(url: string, protocols: string[] = ['sip'], localAddress?: string): WebSocket {
  const ws = new WebSocket(url, protocols, localAddress ? { localAddress } : {});
  ws.on('error', () => {});
  cleanup.push(() => ws.terminate());
  return ws;
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function refusal(ws: WebSocket): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

function frames(ws: WebSocket): string[] {
  const got: string[] = [];
  ws.on('message', (d) => got.push(d.toString()));
  return got;
}

describe('SIP over WebSocket (RFC 7118)', () => {
  test('one message per frame, attributes from authenticate, responses as text frames', async () => {
    const s = await wsServer({}, {
      authenticate: async (req) => (req.url?.includes('access_token=good') ? new Map([['user', 'alice']]) : undefined),
    });
    const ws = client(`${s.url}/sip?access_token=good`);
    const got = frames(ws);
    await opened(ws);
    assert.equal(ws.protocol, 'sip');
    ws.send(options({ branch: 'z9hG4bKws1', via: 'SIP/2.0/WS df7jal23ls0d.invalid' }));
    ws.send(Buffer.from(options({ branch: 'z9hG4bKws2', via: 'SIP/2.0/WS df7jal23ls0d.invalid' })));
    await until(() => s.received.length === 2, 'two messages');
    const { message, flow } = s.received[0]!;
    assert.equal(flow.transport, 'WS');
    assert.equal(flow.attributes.get('user'), 'alice');
    assert.equal(topVia(message).params.get('received'), '127.0.0.1');
    flow.send(createResponse(message as SipRequest, 200, 'OK'));
    await until(() => got.length === 1, 'response frame');
    assert.match(got[0]!, /^SIP\/2\.0 200 OK\r\n/);
  });

  test('the handshake without the sip subprotocol is refused with 400', async () => {
    const s = await wsServer();
    const ws = client(`${s.url}/sip`, []);
    const r = await refusal(ws);
    assert.equal(r.status, 400);
    assert.match(r.body, /subprotocol/);
    assert.equal(s.layer.stats().connections, 0);
  });

  test("authenticate 'reject' refuses with 401", async () => {
    const s = await wsServer({}, { authenticate: async () => 'reject' });
    const r = await refusal(client(`${s.url}/sip?access_token=bad`));
    assert.equal(r.status, 401);
    assert.equal(s.layer.stats().connections, 0);
  });

  test('other paths are left to other upgrade handlers (socket.io coexistence)', async () => {
    const s = await wsServer();
    const other = new WebSocketServer({ noServer: true });
    s.http.on('upgrade', (req, socket, head) => {
      if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('other'));
    });
    cleanup.push(() => other.close());
    const ws = client(`${s.url}/other`, []);
    const got = frames(ws);
    await opened(ws);
    await until(() => got[0] === 'other', 'other handler');
    assert.equal(s.layer.stats().flows, 0);
  });

  test('CRLF keep-alive frame answered with CRLF; malformed request answered 400; junk closes', async () => {
    const s = await wsServer();
    const ws = client(`${s.url}/sip`);
    const got = frames(ws);
    await opened(ws);
    ws.send('\r\n\r\n');
    await until(() => got.includes('\r\n'), 'pong');
    ws.send(options({ branch: 'z9hG4bKbad' }).replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'));
    await until(() => got.some((f) => f.startsWith('SIP/2.0 400')), '400');
    // §18.3 for message-oriented transports: octets after Content-Length are dropped; too few is a 400.
    ws.send(options({ branch: 'z9hG4bKshort', body: 'seventeen octets!' }).replace('Content-Length: 17', 'Content-Length: 3'));
    await until(() => s.received.length === 1, 'short Content-Length accepted');
    assert.equal(s.received[0]!.message.body.toString(), 'sev');
    ws.send(options({ branch: 'z9hG4bKlong', body: 'seventeen octets!' }).replace('Content-Length: 17', 'Content-Length: 500'));
    await until(() => got.filter((f) => f.startsWith('SIP/2.0 400')).length === 2, '400 for a long Content-Length');
    let closed = false;
    ws.on('close', () => (closed = true));
    ws.send(Buffer.from([0, 1, 2, 255]));
    await until(() => closed, 'close');
    assert.equal(s.received.length, 1);
  });

  test('per-IP connection cap refuses the handshake with 503', async () => {
    const s = await wsServer({ maxConnectionsPerIp: 1 });
    const first = client(`${s.url}/sip`, ['sip'], '127.0.0.4');
    await opened(first);
    const r = await refusal(client(`${s.url}/sip`, ['sip'], '127.0.0.4'));
    assert.equal(r.status, 503);
    await opened(client(`${s.url}/sip`, ['sip'], '127.0.0.5'));
    first.close();
    await until(() => s.layer.stats().connections === 1, 'slot released');
  });

  test('idle WebSocket peers are pinged and kept; closing releases the flow', async () => {
    const s = await wsServer({ idleTimeoutMs: 150 });
    const ws = client(`${s.url}/sip`);
    let pings = 0;
    ws.on('ping', () => pings++);
    await opened(ws);
    await until(() => pings >= 3, 'server pings');
    assert.equal(ws.readyState, WebSocket.OPEN, 'a peer answering pings is not idle');
    ws.close();
    await until(() => s.closed.length === 1, 'flowClose');
    assert.equal(s.layer.stats().flows, 0);
  });
  test('a WebSocket over its rate is paused: frames already received wait in order, nothing is lost', async () => {
    const s = await wsServer({ maxRequestsPerSecondPerIp: 25 }); // burst of 50
    const ws = client(`${s.url}/sip`, ['sip'], '127.0.0.5');
    const got = frames(ws);
    await opened(ws);
    for (let i = 0; i < 100; i++) ws.send(options({ branch: `z9hG4bKwsflood${i}` }));
    const delivered = () => s.received.filter((r) => r.flow.remote.address === '127.0.0.5');
    const rejected = () => got.filter((f) => f.startsWith('SIP/2.0 503')).length;
    await until(() => delivered().length + rejected() === 100, 'every frame delivered or answered 503', 10_000);
    assert.ok(rejected() >= 1 && rejected() <= 20, `${rejected()} 503s for 50 frames over the rate`);
    const order = delivered().map((r) => Number(topVia(r.message).params.get('branch')!.slice('z9hG4bKwsflood'.length)));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'delivered in order');
  });
});
