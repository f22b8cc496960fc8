import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { topVia } from '../message/accessors';
import { createResponse } from '../message/response';
import type { SipRequest } from '../message/types';
import { RawPeer, options, response200, startLayer, until, type Harness } from './test-support';

const harnesses: Harness[] = [];
const peers: RawPeer[] = [];
after(async () => {
  for (const p of peers) p.destroy();
  await Promise.all(harnesses.map((h) => h.layer.close()));
});

async function layer(...args: Parameters<typeof startLayer>): Promise<Harness> {
  const h = await startLayer(...args);
  harnesses.push(h);
  return h;
}

async function peer(port: number, localAddress?: string): Promise<RawPeer> {
  const p = await RawPeer.open(port, localAddress);
  peers.push(p);
  return p;
}

describe('SIP over TCP', () => {
  test('frames messages split across chunks and packed into one; stamps received/rport (§18.2.1, RFC 3581)', async () => {
    const h = await layer();
    const p = await peer(h.port);
    const one = options({ branch: 'z9hG4bKsplit', body: 'hello' });
    p.write(one.slice(0, 10));
    await new Promise((r) => setTimeout(r, 20));
    p.write(one.slice(10, 100));
    await new Promise((r) => setTimeout(r, 20));
    p.write(one.slice(100) + options({ branch: 'z9hG4bKpack1' }) + options({ branch: 'z9hG4bKpack2', via: 'SIP/2.0/TCP 127.0.0.1:5' }));
    await until(() => h.received.length === 3, 'three messages');
    const [a, , c] = h.received;
    assert.equal(a!.message.body.toString(), 'hello');
    const via = topVia(a!.message);
    assert.equal(via.params.get('branch'), 'z9hG4bKsplit');
    assert.equal(via.params.get('received'), '127.0.0.1');
    assert.equal(via.params.get('rport'), String(p.socket.localPort));
    const plain = topVia(c!.message);
    assert.equal(plain.params.has('received'), false, 'sent-by equal to the source address: no received');
    assert.equal(a!.flow.transport, 'TCP');
    assert.equal(a!.flow.inbound, true);
    assert.equal(a!.flow.id.length >= 22, true);
    assert.equal(h.layer.getFlow(a!.flow.id), a!.flow);
  });

  test('a response sent on the flow reaches the peer; responses are delivered untouched', async () => {
    const h = await layer();
    const p = await peer(h.port);
    p.write(options({ branch: 'z9hG4bKask' }));
    await until(() => h.received.length === 1, 'request');
    const { message, flow } = h.received[0]!;
    assert.equal(flow.send(createResponse(message as SipRequest, 200, 'OK')), true);
    await until(() => p.data.includes('SIP/2.0 200 OK'), '200 OK');
    assert.match(p.data, /received=127\.0\.0\.1/);
    p.write(response200());
    await until(() => h.received.length === 2, 'response');
    assert.equal(topVia(h.received[1]!.message).params.has('received'), false);
  });

  test('RFC 5626 keep-alive: CRLFCRLF answered with CRLF', async () => {
    const h = await layer();
    const p = await peer(h.port);
    p.write('\r\n\r\n');
    await until(() => p.data === '\r\n', 'pong');
    assert.equal(h.received.length, 0);
  });

  test('idle timeout closes a silent connection', async () => {
    const h = await layer({ idleTimeoutMs: 100 });
    const p = await peer(h.port);
    await until(() => p.ended, 'close');
    assert.equal(h.closed[0]?.reason, 'idle timeout');
    assert.equal(h.layer.stats().flows, 0);
  });

  test('setIdleTimeout() stretches or shortens one flow\'s idle timeout', async () => {
    const h = await layer({ idleTimeoutMs: 100 });
    const kept = await peer(h.port);
    const shortened = await peer(h.port);
    kept.write(options({ branch: 'z9hG4bKkept' }));
    shortened.write(options({ branch: 'z9hG4bKshort' }));
    await until(() => h.received.length === 2, 'requests');
    for (const { message, flow } of h.received) {
      flow.setIdleTimeout?.(topVia(message).params.get('branch') === 'z9hG4bKkept' ? 0 : 20);
    }
    await until(() => shortened.ended, 'shortened flow closed');
    await new Promise((r) => setTimeout(r, 250)); // longer than the layer's idle timeout
    assert.equal(kept.ended, false);
    assert.equal(h.layer.stats().flows, 1);
  });

  test('message-assembly timeout closes a slowloris connection that keeps trickling bytes', async () => {
    const h = await layer({ idleTimeoutMs: 60_000, messageAssemblyTimeoutMs: 150 });
    const p = await peer(h.port);
    const text = options();
    let i = 0;
    const drip = setInterval(() => {
      if (!p.ended && i < text.length - 1) p.write(text[i++]!);
    }, 10);
    try {
      await until(() => p.ended, 'close');
    } finally {
      clearInterval(drip);
    }
    assert.equal(h.closed[0]?.reason, 'message assembly timeout');
    assert.equal(h.received.length, 0);
  });

  test('per-IP connection cap, other IPs unaffected', async () => {
    const h = await layer({ maxConnectionsPerIp: 2 });
    const a1 = await peer(h.port, '127.0.0.2');
    const a2 = await peer(h.port, '127.0.0.2');
    const a3 = await peer(h.port, '127.0.0.2');
    await until(() => a3.ended, 'third connection refused');
    const b = await peer(h.port, '127.0.0.3');
    b.write(options());
    a1.write(options());
    await until(() => h.received.length === 2, 'requests from allowed connections');
    assert.equal(a2.ended, false);
    assert.equal(h.layer.stats().connections, 3);
  });

  test('per-IP request rate: 503 with Retry-After over the bucket, responses not counted, other IP served', async () => {
    const h = await layer({ maxRequestsPerSecondPerIp: 2 });
    const flooder = await peer(h.port, '127.0.0.2');
    const other = await peer(h.port, '127.0.0.3');
    flooder.write(Array.from({ length: 10 }, () => response200()).join(''));
    await until(() => h.received.length === 10, 'responses are not rate limited');
    flooder.write(Array.from({ length: 10 }, () => options()).join(''));
    await until(() => (flooder.data.match(/SIP\/2\.0 503/g) ?? []).length >= 5, '503s');
    assert.match(flooder.data, /Retry-After: \d+/);
    other.write(options({ branch: 'z9hG4bKother' }));
    await until(() => h.received.some((r) => topVia(r.message).params.get('branch') === 'z9hG4bKother'), 'other IP served');
    const fromFlooder = h.received.filter((r) => r.message.kind === 'request' && r.flow.remote.address === '127.0.0.2').length;
    assert.ok(fromFlooder >= 1 && fromFlooder <= 5, `burst of ${fromFlooder} requests let through`);
  });

  test('a flow over its rate is paused, not answered request by request: one 503 per pause, nothing lost, order kept', async () => {
    const h = await layer({ maxRequestsPerSecondPerIp: 25 }); // burst of 50
    const flooder = await peer(h.port, '127.0.0.4');
    flooder.write(Array.from({ length: 100 }, (_, i) => options({ branch: `z9hG4bKflood${i}` })).join(''));
    const delivered = () => h.received.filter((r) => r.flow.remote.address === '127.0.0.4');
    const rejected = () => (flooder.data.match(/SIP\/2\.0 503/g) ?? []).length;
    await until(() => delivered().length + rejected() === 100, 'every request delivered or answered 503', 10_000);
    // Without the pause the 50 requests beyond the burst would each have cost a 503.
    assert.ok(rejected() >= 1 && rejected() <= 20, `${rejected()} 503s for 50 requests over the rate`);
    const branches = delivered().map((r) => Number(topVia(r.message).params.get('branch')!.slice('z9hG4bKflood'.length)));
    assert.deepEqual(branches, [...branches].sort((a, b) => a - b), 'delivered in order');
  });

  // Smaller junk without an empty line waits for the header limit or the assembly timeout.
  test('binary junk closes the connection without a response', async () => {
    const h = await layer();
    const p = await peer(h.port);
    p.write(Buffer.concat([Buffer.from('\x00\xff\x01'), randomBytes(20_000)]));
    await until(() => p.ended, 'close');
    assert.equal(p.data, '');
    assert.equal(h.received.length, 0);
  });

  test('a request followed by garbage in one segment is delivered and can be answered before the close', async () => {
    const h = await layer({}, { drainGraceMs: 300 });
    const p = await peer(h.port);
    p.write(options({ branch: 'z9hG4bKfirst' }) + 'GARBAGE NOT SIP\r\n\r\n');
    await until(() => h.received.length === 1, 'the request before the garbage');
    await new Promise((r) => setTimeout(r, 50)); // an upper layer answering a little later
    const { message, flow } = h.received[0]!;
    assert.equal(flow.send(createResponse(message as SipRequest, 200, 'OK')), true);
    await until(() => p.data.includes('SIP/2.0 200 OK'), 'answer');
    await until(() => p.ended, 'close after the grace period');
    assert.match(h.closed[0]!.reason, /unparseable/);
  });

  test('oversized body: 413 then close', async () => {
    const h = await layer();
    const p = await peer(h.port);
    p.write(options({ extra: '' }).replace('Content-Length: 0', 'Content-Length: 1000000'));
    await until(() => p.ended, 'close');
    assert.match(p.data, /^SIP\/2\.0 413 /);
    assert.equal(h.received.length, 0);
  });

  test('a malformed but framed request gets 400 and the connection survives', async () => {
    const h = await layer();
    const p = await peer(h.port);
    p.write(options({ branch: 'z9hG4bKbad' }).replace('CSeq: 1 OPTIONS', 'CSeq: x OPTIONS'));
    await until(() => p.data.startsWith('SIP/2.0 400'), '400');
    p.write(options({ branch: 'z9hG4bKgood' }));
    await until(() => h.received.length === 1, 'next request');
    assert.equal(p.ended, false);
  });

  test('send buffer bound: a peer that does not read gets its flow closed', async () => {
    const h = await layer({}, { maxSendBufferBytes: 64 * 1024 });
    const p = await peer(h.port);
    p.socket.pause();
    p.write(options());
    await until(() => h.received.length === 1, 'request');
    const { message, flow } = h.received[0]!;
    const big = createResponse(message as SipRequest, 200, 'OK', { body: Buffer.alloc(32 * 1024, 'x'), contentType: 'text/plain' });
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (flow.send(big) && Date.now() < deadline) {
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    assert.equal(flow.closed, true);
    await until(() => h.closed.length === 1, 'flowClose');
    assert.equal(h.closed[0]!.reason, 'send buffer overflow');
  });

  test('connect() opens an outbound flow and reuses it', async () => {
    const server = await layer();
    const client = await layer();
    const [f1, f2] = await Promise.all([
      client.layer.connect('TCP', { address: '127.0.0.1', port: server.port }),
      client.layer.connect('TCP', { address: '127.0.0.1', port: server.port }),
    ]);
    assert.equal(f1, f2);
    assert.equal(f1.inbound, false);
    const f3 = await client.layer.connect('TCP', { address: '127.0.0.1', port: server.port });
    assert.equal(f3, f1);
    await until(() => server.layer.stats().flows === 1, 'inbound flow on the server');
    f1.close('test');
    await until(() => server.layer.stats().flows === 0, 'server sees the close');
    const f4 = await client.layer.connect('TCP', { address: '127.0.0.1', port: server.port });
    assert.notEqual(f4, f1);
    await assert.rejects(client.layer.connect('TCP', { address: '127.0.0.1', port: 1 }));
  });
});
