/**
 * Faults around a running Front End: a caller that vanishes while its INVITE is forked, half-open
 * TCP connections, the PostgreSQL back end briefly unreachable, and the whole Front End killed and
 * restarted on the same SQLite data dir. In each case the server must keep serving others, end its
 * transactions (RFC 3261 §16.8 Timer C, §17 timers), and not lose what it acknowledged.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import pg from 'pg';
import { TcpSipConnection, type SipConnection } from '../testing/connection';
import type { SipEndpoint } from '../testing/endpoint';
import { TestFrontEnd, waitFor } from '../testing/frontend';
import { HealthyClient, ping } from '../testing/probes';
import { buildResponse, type WireMessage } from '../testing/sip-wire';
import { pgTestDatabase, PG_SKIP_REASON } from '../db/testing';
import { FrontEndProcess } from '../fuzz/frontend-process';

const TIMER_C_MS = 2_000;

/** A UAS that rings and never answers; a CANCEL gets 200 and the INVITE 487 (RFC 3261 §9.2). */
function ringing(ep: () => SipEndpoint) {
  return (req: WireMessage) => {
    if (req.method === 'INVITE') return { status: 180, reason: 'Ringing' };
    if (req.method === 'CANCEL') {
      const invite = ep().requests.find((r) => r.method === 'INVITE' && r.header('call-id') === req.header('call-id'));
      if (invite) setImmediate(() => ep().connection.send(buildResponse(invite, 487, 'Request Terminated')));
    }
    return { status: 200, reason: 'OK' };
  };
}

async function ringingCallee(t: TestFrontEnd, transport: 'TCP' | 'WS', user: string): Promise<SipEndpoint> {
  let ep!: SipEndpoint;
  ep = await t.registered(transport, user, { answer: ringing(() => ep) });
  return ep;
}

const txCount = (t: TestFrontEnd): number => t.fe.transactions.stats().server + t.fe.transactions.stats().client;

describe('faults: a caller vanishes while its INVITE is forked', () => {
  let t: TestFrontEnd;
  let healthy: HealthyClient;

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'dave'].map((name) => ({ name, password: `${name}-secret-1` })), overrides: { timers: { C: TIMER_C_MS } } });
    healthy = new HealthyClient(await t.tcp(), t.domain);
  });
  after(async () => {
    await healthy?.stop();
    await t?.close();
  });

  test('both ringing branches are cancelled (Timer C) and every transaction ends', async () => {
    const callees = [await ringingCallee(t, 'TCP', 'bob'), await ringingCallee(t, 'WS', 'bob')];
    const alice = await t.registered('TCP', 'alice');
    const flowsBefore = t.fe.transport.stats().flows;
    void alice.request('INVITE', `sip:bob@${t.domain}`, { body: 'v=0\r\n', contentType: 'application/sdp', timeoutMs: 30_000 }).catch(() => undefined);
    await Promise.all(callees.map((c) => c.waitForRequest((r) => r.method === 'INVITE')));
    alice.connection.close();
    for (const c of callees) await c.waitForRequest((r) => r.method === 'CANCEL', TIMER_C_MS + 5_000);
    await waitFor(() => txCount(t) === 0, 15_000, `transactions to end (${JSON.stringify(t.fe.transactions.stats())})`);
    await waitFor(() => t.fe.transport.stats().flows === flowsBefore - 1, 5_000, 'the caller flow to go');
    await healthy.answersAfter(2);
    for (const c of callees) c.connection.close();
  });

  test('a 200 from one branch after the caller is gone: the other branch is cancelled, nothing hangs', async () => {
    let answering!: SipEndpoint;
    answering = await t.registered('TCP', 'dave', { answer: (r) => (r.method === 'INVITE' ? null : { status: 200, reason: 'OK' }) });
    const ringer = await ringingCallee(t, 'WS', 'dave');
    const alice = await t.registered('TCP', 'alice');
    void alice.request('INVITE', `sip:dave@${t.domain}`, { body: 'v=0\r\n', contentType: 'application/sdp', timeoutMs: 30_000 }).catch(() => undefined);
    const invite = await answering.waitForRequest((r) => r.method === 'INVITE');
    await ringer.waitForRequest((r) => r.method === 'INVITE');
    alice.connection.close();
    await waitFor(() => alice.connection.isClosed, 2_000);
    answering.connection.send(buildResponse(invite, 200, 'OK', [['Contact', `<${answering.contactUri}>`]], 'v=0\r\n'));
    await ringer.waitForRequest((r) => r.method === 'CANCEL', 5_000);
    await waitFor(() => txCount(t) === 0, 15_000, `transactions to end (${JSON.stringify(t.fe.transactions.stats())})`);
    await healthy.answersAfter(2);
    assert.deepEqual(healthy.failures, []);
  });
});

describe('faults: half-open TCP connections', () => {
  let t: TestFrontEnd;
  let healthy: HealthyClient;

  before(async () => {
    t = await TestFrontEnd.start({
      users: ['alice', 'carol'].map((name) => ({ name, password: `${name}-secret-1` })),
      overrides: { limits: { idleTimeoutMs: 1_500 }, timers: { T1: 100 } },
    });
    healthy = new HealthyClient(await t.tcp(), t.domain);
  });
  after(async () => {
    await healthy?.stop();
    await t?.close();
  });

  test('a peer that connected and went silent (no FIN) is closed at the idle timeout', async () => {
    const silent = await t.tcp({ localAddress: '127.0.0.4' });
    assert.ok(await silent.waitClosed(1_500 + 5_000), 'the silent connection is still open');
    await healthy.answersAfter(2);
  });

  test('a registered peer that stops reading: requests to it still end, its flow is dropped at the send-buffer bound', async () => {
    const carol = await t.registered('TCP', 'carol');
    const alice = await t.registered('TCP', 'alice');
    const flows = t.fe.transport.stats().flows;
    // Stop reading without closing: the kernel buffers fill, then the server's send buffer.
    (carol.connection as unknown as { socket: Socket }).socket.pause();
    // Under the IM service's 16 KiB MESSAGE limit; a few hundred fill the kernel's and the server's buffers.
    const body = 'x'.repeat(15_000);
    const sends: Promise<number>[] = [];
    for (let i = 0; i < 2_000 && t.fe.transport.stats().flows >= flows; i++) {
      sends.push(alice.message(carol.aor, body, { timeoutMs: 20_000 }).then((r) => r.status ?? 0, () => -1));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => t.fe.transport.stats().flows < flows, 15_000, "the server to drop the non-reading peer's flow");
    const statuses = await Promise.all(sends);
    assert.ok(statuses.every((s) => s >= 200), `requests to the half-open peer without a final answer: ${statuses.filter((s) => s < 200).length}`);
    assert.equal(statuses.filter((s) => s === 200).length, 0, 'nobody read these MESSAGEs, yet a 200 came back');
    await healthy.answersAfter(2);
    carol.connection.close();
  });
});

/**
 * The Front End runs as `npm start` does (a child process on PostgreSQL), so whatever the outage does
 * to the process, a crash included, shows as it would in production.
 */
describe('faults: PostgreSQL briefly unreachable', { skip: process.env.OCS_TEST_PG_URL ? false : PG_SKIP_REASON }, () => {
  const users = Array.from({ length: 12 }, (_, i) => `pg${i}`);
  let db: { url: string; drop(): Promise<void> };
  let fe: FrontEndProcess;
  const acknowledged = new Set<string>();
  const unanswered: string[] = [];

  before(async () => {
    db = await pgTestDatabase();
    fe = await FrontEndProcess.create({ users, admin: 'pgadmin', dbUrl: db.url });
    await fe.start();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const dbName = new URL(db.url).pathname.slice(1);
      const endpoints = await Promise.all(users.map((u) => fe.endpoint(u)));
      // Everyone registers once before the outage, so there is something acknowledged to lose.
      for (const ep of endpoints) {
        const res = await ep.register({ expires: 600 });
        assert.equal(res.status, 200, res.startLine);
        acknowledged.add(ep.options.user);
      }
      let outage = true;
      // The outage: every backend of this database is terminated, again and again, for ~1.5 s.
      const killer = (async () => {
        const until = Date.now() + 1_500;
        while (Date.now() < until) {
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
          await new Promise((r) => setTimeout(r, 30));
        }
        outage = false;
      })();
      const registering = endpoints.map(async (ep) => {
        for (let round = 0; (outage || round < 2) && !ep.connection.isClosed; round++) {
          const res = await ep.register({ expires: 600 }).catch((e: Error) => e);
          if (res instanceof Error) unanswered.push(`${ep.options.user}: ${res.message}`);
          else if (res.status === 200) acknowledged.add(ep.options.user);
          else if ((res.status ?? 0) < 500) unanswered.push(`${ep.options.user}: ${res.startLine}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      await Promise.all([killer, ...registering]);
      for (const ep of endpoints) ep.connection.close();
    } finally {
      await admin.end();
    }
  });
  after(async () => {
    await fe?.dispose();
    await db?.drop();
  });

  test('no acknowledged registration is lost: every REGISTER answered 200 has its binding in the DB', async () => {
    const stored = new Set((await fe.storedBindings()).map((b) => b.aor));
    const lost = [...acknowledged].filter((u) => !stored.has(`sip:${u}@${fe.domain}`));
    assert.deepEqual(lost, []);
  });

  // A backend terminated while its client is checked out for a transaction makes pg emit 'error' on
  // that client: the driver listens for it (the pool's own handler covers idle clients only).
  test('the Front End survives the outage, answers every REGISTER (200, or 5xx while the DB is away) and serves afterwards', async () => {
    assert.ok(fe.alive, `the Front End died during the outage: ${fe.output}`);
    assert.deepEqual(unanswered, []);
    assert.equal(acknowledged.size, users.length, `registered after the outage: ${acknowledged.size}/${users.length}`);
    const probe = await TcpSipConnection.open(fe.sipPort);
    try {
      assert.equal((await ping(probe, fe.domain)).status, 200);
    } finally {
      probe.close();
    }
  });
});

describe('faults: the Front End killed and restarted on the same SQLite data dir', () => {
  let fe: FrontEndProcess;
  const users = Array.from({ length: 5 }, (_, i) => `tcp${i}`);

  before(async () => {
    fe = await FrontEndProcess.create({ users: [...users, 'gone'], admin: 'root' });
  });
  after(async () => {
    await fe?.dispose();
  });

  // Found by this test first: the Front End id was random per process, so restore() found nothing
  // after a restart (fixed in 816927c: the id is kept in the data dir).
  test('TCP registrations acknowledged before SIGKILL are served after the restart', async () => {
    await fe.start();
    const conns: SipConnection[] = [];
    for (const u of users) {
      const ep = await fe.registered(u);
      conns.push(ep.connection);
    }
    await fe.kill();
    for (const c of conns) c.close();
    const inDb = await fe.storedBindings();
    assert.deepEqual([...new Set(inDb.map((b) => b.aor))].sort(), users.map((u) => `sip:${u}@${fe.domain}`).sort(), 'the DB has every acknowledged binding');
    await fe.start();
    const served = await fe.adminRegistrations();
    const missing = users.filter((u) => !served.some((r) => r.user === u));
    assert.deepEqual(missing, [], `registrations the restarted Front End does not serve (the DB still has ${inDb.length} rows)`);
  });

  // LocationService.flowClosed() keeps a dialable TCP binding (its Contact can be reached by a new
  // connection): it must stay in the DB too, or a restart (or another Front End) would lose it.
  test('a TCP registration whose connection closed stays in the DB while it is still served', async () => {
    if (!fe.alive) await fe.start();
    const ep = await fe.registered('gone');
    ep.connection.close();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok((await fe.adminRegistrations()).some((r) => r.user === 'gone'), 'served from memory after its connection closed');
    const stored = await fe.storedBindings();
    assert.ok(stored.some((b) => b.aor === `sip:gone@${fe.domain}`), `the DB lost it (${stored.length} rows left, none for gone)`);
  });
});
