/**
 * Flood limits (config `limits`): a per-IP request rate answered with 503 + Retry-After
 * (RFC 3261 §21.5.4, §20.33) and a per-IP connection cap, while a client from another address is
 * served as usual. Loopback aliases (127.0.0.2, 127.0.0.3) stand in for other hosts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipConnection } from '../testing/connection';
import { TestFrontEnd, waitFor } from '../testing/frontend';
import { anonymousRequest, HealthyClient, ping } from '../testing/probes';
import { randomToken, type WireMessage } from '../testing/sip-wire';

const RATE = 20;
const MAX_CONNECTIONS_PER_IP = 4;

describe('flood limits', () => {
  let t: TestFrontEnd;
  let healthy: HealthyClient;

  before(async () => {
    t = await TestFrontEnd.start({ overrides: { limits: { maxRequestsPerSecondPerIp: RATE, maxConnectionsPerIp: MAX_CONNECTIONS_PER_IP } } });
    // 1 ping per 100 ms stays well under RATE for 127.0.0.1.
    healthy = new HealthyClient(await t.tcp(), t.domain, 100);
    await healthy.answersAfter(1);
  });
  after(async () => {
    await healthy?.stop();
    await t?.close();
  });

  for (const transport of ['TCP', 'WS'] as const) {
    test(`${transport}: a request flood from one address gets 503 with Retry-After; another address is still served`, async () => {
      const flooder = await t.connect(transport, { localAddress: '127.0.0.2' });
      const sent = RATE * 10;
      const ids = new Set<string>();
      for (let i = 0; i < sent; i++) {
        const callId = `${randomToken(10)}@flood`;
        ids.add(callId);
        flooder.send(anonymousRequest(flooder, t.domain, { callId }));
      }
      const answersOf = (): WireMessage[] => flooder.received.filter((m) => m.kind === 'response' && ids.has(m.header('call-id') ?? '') && (m.status ?? 0) >= 200);
      // Every request is answered (200 within the burst, 503 beyond it), unless the server drops the flooder.
      await waitFor(() => answersOf().length === sent || flooder.isClosed, 10_000, 'answers to the flood').catch(() => undefined);
      const rejected = answersOf().filter((m) => m.status === 503);
      assert.ok(rejected.length > 0, `no 503 among ${answersOf().length} answers to ${sent} requests (closed: ${flooder.isClosed})`);
      for (const m of rejected.slice(0, 5)) assert.match(m.header('Retry-After') ?? '', /^\d+/, `503 without Retry-After: ${m.startLine}`);
      await healthy.answersAfter(2);
      assert.deepEqual(healthy.failures, []);
      flooder.close();
    });
  }

  test(`connections per IP are capped at ${MAX_CONNECTIONS_PER_IP}; the slot comes back when one closes; other IPs unaffected`, async () => {
    const open: SipConnection[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS_PER_IP; i++) open.push(await t.tcp({ localAddress: '127.0.0.3' }));
      for (const c of open) assert.ok((await ping(c, t.domain)).status === 200, 'connections within the cap are served');

      // Over the cap: the TCP connection is accepted by the kernel, then closed unserved.
      const extra = await t.tcp({ localAddress: '127.0.0.3' }).catch(() => undefined);
      if (extra) {
        extra.send(anonymousRequest(extra, t.domain));
        assert.ok(await extra.waitClosed(5_000), 'a connection over the per-IP cap is closed');
        assert.equal(extra.received.filter((m) => m.status === 200).length, 0, 'and not served');
      }
      // The WebSocket upgrade from that address is refused too (before or right after the handshake).
      const ws = await t.ws({ localAddress: '127.0.0.3' }).catch(() => undefined);
      if (ws) assert.ok(await ws.waitClosed(5_000), 'a WebSocket over the per-IP cap is closed');

      // Another address is unaffected.
      const other = await t.tcp({ localAddress: '127.0.0.5' });
      assert.equal((await ping(other, t.domain)).status, 200);
      other.close();

      // Closing one frees its slot (the server notices the close asynchronously: poll).
      open.shift()!.close();
      const again = await waitFor(
        async () => {
          const c = await t.tcp({ localAddress: '127.0.0.3' });
          const ok = await ping(c, t.domain, 1_000).then((r) => r.status === 200).catch(() => false);
          if (ok) return c;
          c.close();
          return undefined;
        },
        5_000,
        'a freed connection slot',
      );
      open.push(again);
      await healthy.answersAfter(2);
    } finally {
      for (const c of open) c.close();
    }
  });
});
