import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, tagOf, toOf } from '../message/index';
import { startLayer, type Harness } from '../transport/test-support';
import { createTransactionLayer } from '../transaction/layer';
import type { TransactionLayer } from '../transaction/types';
import { createLogger } from '../../log';
import { TcpSipConnection } from '../../testing/connection';
import { SipEndpoint, type Answer } from '../../testing/endpoint';
import { tagOf as wireTag, type WireMessage } from '../../testing/sip-wire';
import { SubscriptionManager, type Subscription, type SubscribeContext, type TerminationInfo } from './index';

interface Rig {
  h: Harness;
  layer: TransactionLayer;
  subs: SubscriptionManager;
  accepted: Subscription[];
  grant: number;
}

const rigs: Rig[] = [];
const connections: TcpSipConnection[] = [];
after(async () => {
  for (const c of connections) c.close();
  for (const r of rigs) {
    r.subs.close();
    r.layer.close();
    await r.h.layer.close();
  }
});

async function rig(): Promise<Rig> {
  const h = await startLayer();
  const r = { h, accepted: [] as Subscription[], grant: 60 } as Rig;
  r.layer = createTransactionLayer(
    h.layer,
    {
      onRequest: (tx) => {
        const ctx: SubscribeContext = {
          request: tx.request,
          flow: tx.flow,
          respond: (status, reason, opts) => tx.respond(createResponse(tx.request, status, reason, opts)),
        };
        try {
          if (tagOf(toOf(tx.request))) {
            if (!r.subs.handleInDialog(ctx)) ctx.respond(481, 'Subscription Does Not Exist');
            return;
          }
          r.accepted.push(r.subs.accept(ctx, { event: 'presence', expires: r.grant, minExpires: 10 }));
        } catch (err) {
          ctx.respond(400, String(err));
        }
      },
      onAck: () => {},
      onStrayResponse: () => {},
    },
    { T1: 20, T2: 80, T4: 100, C: 1_000 },
  );
  r.subs = new SubscriptionManager({
    transactions: r.layer,
    transport: h.layer,
    localAddress: (f) => ({ host: f.local.address, port: f.local.port, transport: f.transport }),
    frontEndId: 'fe1',
    log: createLogger('silent'),
    serverName: 'ocs-test',
  });
  rigs.push(r);
  return r;
}

async function subscriber(r: Rig, answer?: (m: WireMessage) => Answer | null): Promise<SipEndpoint> {
  const c = await TcpSipConnection.open(r.h.port);
  connections.push(c);
  return new SipEndpoint(c, { user: 'watcher', domain: 'ocs.test', answer });
}

const notifies = (ep: SipEndpoint) => ep.requests.filter((m) => m.method === 'NOTIFY');

async function subscribe(ep: SipEndpoint, expires = 60): Promise<{ res: WireMessage; callId: string }> {
  const callId = `sub-${Math.random().toString(36).slice(2)}@test`;
  const res = await ep.request('SUBSCRIBE', 'sip:bob@ocs.test', { callId, headers: [['Event', 'presence;id=7'], ['Expires', String(expires)]] });
  return { res, callId };
}

function inDialog(ep: SipEndpoint, first: { res: WireMessage; callId: string }, expires: number): Promise<WireMessage> {
  // RFC 3261 §12.2.1.1: in-dialog requests go to the remote target (the notifier's Contact).
  return ep.request('SUBSCRIBE', first.res.header('contact')!.replace(/^<|>.*$/g, ''), {
    callId: first.callId,
    to: first.res.header('to')!,
    headers: [['Event', 'presence;id=7'], ['Expires', String(expires)]],
  });
}

test('accept answers 200 with To-tag, Contact, Expires; NOTIFYs carry Event id, Subscription-State, rising CSeq', async () => {
  const r = await rig();
  const ep = await subscriber(r);
  const first = await subscribe(ep);
  assert.equal(first.res.status, 200);
  assert.ok(wireTag(first.res.header('to')), 'To-tag');
  assert.match(first.res.header('contact')!, /^<sip:127\.0\.0\.1:\d+;transport=tcp>$/);
  assert.equal(first.res.header('expires'), '60');
  const sub = r.accepted[0]!;
  assert.equal(await sub.notify({ body: 'v1', contentType: 'text/plain' }), 200);
  assert.equal(await sub.notify({ body: 'v2', contentType: 'text/plain' }), 200);
  const [n1, n2] = notifies(ep);
  assert.equal(n1!.header('event'), 'presence;id=7');
  assert.match(n1!.header('subscription-state')!, /^active;expires=(60|59)$/);
  assert.equal(n1!.header('cseq'), '1 NOTIFY');
  assert.equal(n2!.header('cseq'), '2 NOTIFY');
  assert.equal(wireTag(n1!.header('from')), wireTag(first.res.header('to')));
  assert.equal(wireTag(n1!.header('to')), ep.fromTag);
  assert.equal(n1!.header('call-id'), first.callId);
  assert.match(n1!.startLine, /^NOTIFY sip:watcher@/);
  assert.equal(n2!.body.toString(), 'v2');
});

test('NOTIFYs are serialized and coalesced: a newer state replaces the one waiting', async () => {
  const r = await rig();
  const ep = await subscriber(r);
  await subscribe(ep);
  const sub = r.accepted[0]!;
  const statuses = await Promise.all(['a', 'b', 'c', 'd'].map((b) => sub.notify({ body: b, contentType: 'text/plain' })));
  assert.deepEqual(statuses, [200, 200, 200, 200]);
  assert.deepEqual(notifies(ep).map((n) => n.body.toString()), ['a', 'd']);
});

test('refresh re-answers with the capped expiry and re-sends the provider state; 423 below the minimum', async () => {
  const r = await rig();
  const ep = await subscriber(r);
  const first = await subscribe(ep);
  const sub = r.accepted[0]!;
  const refreshes: number[] = [];
  sub.onRefresh((e) => refreshes.push(e));
  sub.setStateProvider(() => ({ body: 'current', contentType: 'text/plain' }));
  const res = await inDialog(ep, first, 30);
  assert.equal(res.status, 200);
  assert.equal(res.header('expires'), '30');
  await ep.waitForRequest((m) => m.method === 'NOTIFY' && m.body.toString() === 'current');
  assert.equal((await inDialog(ep, first, 3_600)).header('expires'), '60', 'capped at the first grant');
  const brief = await inDialog(ep, first, 5);
  assert.equal(brief.status, 423);
  assert.equal(brief.header('min-expires'), '10');
  assert.deepEqual(refreshes, [30, 60]);
});

test('unsubscribe: 200, final NOTIFY terminated, onTerminated, then 481', async () => {
  const r = await rig();
  const ep = await subscriber(r);
  const first = await subscribe(ep);
  const sub = r.accepted[0]!;
  const ended: TerminationInfo[] = [];
  sub.onTerminated((i) => ended.push(i));
  sub.setStateProvider(() => ({ body: 'last', contentType: 'text/plain' }));
  assert.equal((await inDialog(ep, first, 0)).status, 200);
  const fin = await ep.waitForRequest((m) => m.method === 'NOTIFY');
  assert.equal(fin.header('subscription-state'), 'terminated;reason=timeout');
  assert.equal(fin.body.toString(), 'last');
  await waitUntil(() => ended.length === 1);
  assert.equal(ended[0]!.reason, 'unsubscribed');
  assert.equal(r.subs.size, 0);
  assert.equal((await inDialog(ep, first, 60)).status, 481);
  assert.equal(await sub.notify({ body: 'x', contentType: 'text/plain' }), 0);
});

test('a 481 to a NOTIFY ends the subscription', async () => {
  const r = await rig();
  const ep = await subscriber(r, (m) => (m.method === 'NOTIFY' ? { status: 481, reason: 'Subscription Does Not Exist' } : { status: 200, reason: 'OK' }));
  await subscribe(ep);
  const sub = r.accepted[0]!;
  const ended: TerminationInfo[] = [];
  sub.onTerminated((i) => ended.push(i));
  assert.equal(await sub.notify({ body: 'x', contentType: 'text/plain' }), 481);
  assert.deepEqual(ended, [{ reason: 'notify-failed', status: 481 }]);
  assert.equal(r.subs.size, 0);
});

test('expiry sends terminated;reason=timeout; a closed flow ends its subscriptions; Expires 0 is a fetch', async () => {
  const r = await rig();
  r.grant = 1;
  const ep = await subscriber(r);
  await subscribe(ep, 1);
  const expired = await ep.waitForRequest((m) => m.method === 'NOTIFY', 5_000);
  assert.equal(expired.header('subscription-state'), 'terminated;reason=timeout');
  await waitUntil(() => r.subs.size === 0);

  r.grant = 60;
  const ep2 = await subscriber(r);
  await subscribe(ep2);
  const ended: TerminationInfo[] = [];
  r.accepted[1]!.onTerminated((i) => ended.push(i));
  ep2.connection.close();
  await waitUntil(() => ended.length === 1);
  assert.equal(ended[0]!.reason, 'flow-closed');
  assert.equal(r.subs.size, 0);

  r.grant = 0;
  const ep3 = await subscriber(r);
  const f = await subscribe(ep3, 0);
  assert.equal(f.res.header('expires'), '0');
  assert.equal(await r.accepted[2]!.notify({ body: 'snapshot', contentType: 'text/plain' }), 200);
  assert.equal(notifies(ep3)[0]!.header('subscription-state'), 'terminated;reason=timeout');
  assert.equal(r.subs.size, 0);
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((res) => setTimeout(res, 10));
  }
}
