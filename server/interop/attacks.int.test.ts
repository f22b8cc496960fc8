/**
 * Attacks with the attacker's own tools (Debian `sipvicious`: svmap, svwar, svcrack) against a
 * whole Front End with its default limits and lock-out. SIPVicious OSS speaks SIP over UDP only and
 * we serve TCP/TLS/WS only, so a small UDP-to-TCP relay stands in for the attacker's path: each UDP
 * source gets its own TCP connection from 127.0.0.6, every reply goes back as a datagram. The
 * tools' verdicts are checked, and then the same questions are asked with raw requests addressed
 * to our real domain (same status codes and header shapes for existing and unknown users).
 * Timing figures go to the test's diagnostics only (no timing assertion).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SipConnection } from '../testing/connection';
import { digestAuthorization, pickChallenge } from '../testing/digest';
import { TestFrontEnd } from '../testing/frontend';
import { anonymousRequest, finalResponseTo } from '../testing/probes';
import { randomToken, StreamFramer, type WireMessage } from '../testing/sip-wire';

const ATTACKER = '127.0.0.6';
const SERVER_NAME = 'OCS-Web';
const USERS = ['alice', 'bob', 'carol'];
const VICTIM = { name: 'victim', password: 'secret-00000016' };
const missing = spawnSync('svwar', ['--version']).error ? 'sipvicious not installed (apt-get install -y sipvicious)' : undefined;

/** UDP in, one TCP connection per UDP source out; replies back as datagrams. */
class UdpRelay {
  readonly replies: WireMessage[] = [];
  private readonly udp: UdpSocket = createSocket('udp4');
  private readonly tcp = new Map<string, Socket>();

  private constructor(private readonly sipPort: number) {
    this.udp.on('message', (datagram, from) => {
      const key = `${from.address}:${from.port}`;
      let socket = this.tcp.get(key);
      if (!socket) {
        const framer = new StreamFramer();
        socket = connect({ host: '127.0.0.1', port: this.sipPort, localAddress: ATTACKER });
        socket.on('data', (chunk) => {
          for (const m of framer.push(chunk)) {
            this.replies.push(m);
            this.udp.send(m.raw, from.port, from.address);
          }
        });
        socket.on('error', () => undefined);
        this.tcp.set(key, socket);
      }
      socket.write(datagram);
    });
  }

  static async open(sipPort: number): Promise<UdpRelay> {
    const relay = new UdpRelay(sipPort);
    await new Promise<void>((r) => relay.udp.bind(0, '127.0.0.1', r));
    return relay;
  }

  get port(): number {
    return this.udp.address().port;
  }

  close(): void {
    for (const s of this.tcp.values()) s.destroy();
    this.udp.close();
  }
}

/** Runs a sipvicious tool against the relay; ends it at `stopWhen` or after `timeoutMs`. */
function runTool(tool: string, args: string[], stopWhen: () => boolean = () => false, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const poll = setInterval(() => stopWhen() && child.kill('SIGKILL'), 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** Header names in order, challenge values reduced to their algorithm (nonces differ by design). */
function shape(m: WireMessage): string {
  const headers = m.headers.map(([n, v]) => (/authenticate$/i.test(n) ? `${n}(${/algorithm=([\w-]+)/i.exec(v)?.[1] ?? '?'})` : n.toLowerCase()));
  return `${m.status} ${m.reason} | ${headers.join(', ')}`;
}

async function ask(c: SipConnection, domain: string, method: string, user: string, extra: Array<[string, string]> = []): Promise<{ m: WireMessage; ms: number }> {
  const callId = `${randomToken(12)}@war`;
  const uri = method === 'REGISTER' ? `sip:${domain}` : `sip:${user}@${domain}`;
  const raw = anonymousRequest(c, domain, { method, uri, callId, extra: [['From', `<sip:${user}@${domain}>;tag=${randomToken(6)}`], ...extra] })
    .toString('latin1')
    // anonymousRequest's own From is a probe's; the enumerator's From (and To for REGISTER) names the guessed user.
    .replace(/^From: <sip:probe@[^\r\n]*\r\n/m, '')
    .replace(/^To: <[^>]*>/m, `To: <sip:${user}@${domain}>`);
  const t0 = performance.now();
  c.send(Buffer.from(raw, 'latin1'));
  const m = await finalResponseTo(c, callId, 4_000);
  return { m, ms: performance.now() - t0 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('attacks with sipvicious', { skip: missing ?? false }, () => {
  let t: TestFrontEnd;
  let relay: UdpRelay;
  let dir: string;

  before(async () => {
    t = await TestFrontEnd.start({ users: [...USERS.map((name) => ({ name, password: `${name}-secret-1` })), VICTIM] });
    relay = await UdpRelay.open(t.sipPort);
    dir = mkdtempSync(join(tmpdir(), 'ocs-attacks-'));
  });
  after(async () => {
    relay?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  test(`svmap learns no more than the advertised name (${SERVER_NAME})`, async () => {
    const out = await runTool('svmap', ['-p', String(relay.port), '127.0.0.1']);
    const rows = [...out.matchAll(/^\|\s*127\.0\.0\.1:\d+\s*\|\s*(.*?)\s*\|$/gm)].map((m) => m[1]!);
    assert.ok(rows.length > 0, `svmap found no SIP device through the relay: ${out}`);
    for (const ua of rows) assert.ok(ua === SERVER_NAME || ua === 'unknown', `svmap fingerprinted "${ua}"`);
    // Our own sweep: every Server / User-Agent header we send says exactly the name, nothing more.
    const c = await t.tcp({ localAddress: ATTACKER });
    const asked = [
      await ask(c, t.domain, 'OPTIONS', 'alice'),
      await ask(c, t.domain, 'REGISTER', 'alice'),
      await ask(c, t.domain, 'INVITE', 'nobody'),
    ].map((a) => a.m);
    const own = anonymousRequest(c, t.domain, { callId: `${randomToken(8)}@own` });
    c.send(own);
    asked.push(await finalResponseTo(c, /Call-ID: (\S+)/.exec(own.toString('latin1'))![1]!));
    for (const m of [...relay.replies, ...asked]) {
      for (const name of ['Server', 'User-Agent']) {
        for (const v of m.headerAll(name)) assert.equal(v, SERVER_NAME, `${m.startLine}: ${name}: ${v}`);
      }
      assert.ok(!m.headers.some(([n]) => /^x-powered-by$/i.test(n)), `${m.startLine} has X-Powered-By`);
    }
  });

  for (const method of ['REGISTER', 'INVITE', 'OPTIONS']) {
    test(`svwar -m ${method} cannot tell existing users from unknown ones`, async () => {
      const dict = join(dir, `users-${method}.txt`);
      writeFileSync(dict, [...USERS, 'mallory', 'trent', '1000', '2000', 'admin'].join('\n') + '\n');
      const out = await runTool('svwar', ['--force', '-d', dict, '-m', method, '-p', String(relay.port), '127.0.0.1']);
      for (const u of USERS) assert.doesNotMatch(out, new RegExp(`^\\|\\s*${u}\\s*\\|`, 'm'), `svwar listed ${u}: ${out}`);
      assert.doesNotMatch(out, /^\|\s*Extension\s*\|/m, `svwar produced a table: ${out}`);
    });
  }

  test('the same questions with our real domain: same statuses, same header shapes (timing reported)', async (ctx) => {
    const c = await t.tcp({ localAddress: ATTACKER });
    for (const method of ['REGISTER', 'INVITE', 'MESSAGE', 'OPTIONS', 'SUBSCRIBE']) {
      const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
      const shapes: Record<'known' | 'unknown', Set<string>> = { known: new Set(), unknown: new Set() };
      for (let i = 0; i < 10; i++) {
        for (const [kind, user] of [['known', USERS[i % USERS.length]!], ['unknown', `nobody${i}`]] as const) {
          const { m, ms } = await ask(c, t.domain, method, user);
          times[kind].push(ms);
          shapes[kind].add(shape(m));
        }
      }
      assert.deepEqual([...shapes.unknown], [...shapes.known], `${method}: answers differ between existing and unknown users`);
      ctx.diagnostic(`${method}: median ${median(times.known).toFixed(2)} ms existing vs ${median(times.unknown).toFixed(2)} ms unknown; ${[...shapes.known][0]}`);
    }
  });

  test('a wrong password for an existing user and any password for an unknown one get the same answer', async (ctx) => {
    const answers: Record<string, { shape: string; ms: number }[]> = {};
    // Separate source addresses keep each side below the per-IP lock-out threshold.
    for (const [user, from] of [['alice', '127.0.0.8'], ['nobody-at-all', '127.0.0.9']] as const) {
      const c = await t.tcp({ localAddress: from });
      answers[user] = [];
      for (let i = 0; i < 2; i++) {
        const first = await ask(c, t.domain, 'REGISTER', user);
        const challenge = pickChallenge(first.m.headerAll('WWW-Authenticate'), 'MD5');
        assert.ok(challenge, `no MD5 challenge: ${first.m.startLine}`);
        const auth = digestAuthorization({ challenge, credentials: { username: user, password: 'wrong-password-1' }, method: 'REGISTER', uri: `sip:${t.domain}` });
        const { m, ms } = await ask(c, t.domain, 'REGISTER', user, [['Authorization', auth]]);
        answers[user].push({ shape: shape(m), ms });
      }
    }
    assert.deepEqual(answers['nobody-at-all']!.map((a) => a.shape), answers.alice!.map((a) => a.shape));
    ctx.diagnostic(`wrong password: ${answers.alice!.map((a) => a.ms.toFixed(2)).join('/')} ms existing vs ${answers['nobody-at-all']!.map((a) => a.ms.toFixed(2)).join('/')} ms unknown`);
  });

  test('svcrack is locked out after a few tries and never finds the password', async (ctx) => {
    const dict = join(dir, 'passwords.txt');
    // The right password is the 16th guess: well past the lock-out threshold (5 failures).
    writeFileSync(dict, Array.from({ length: 30 }, (_, i) => `secret-${String(i + 1).padStart(8, '0')}`).join('\n') + '\n');
    const before = relay.replies.length;
    const locked = (): number => relay.replies.slice(before).filter((m) => m.status === 403 && /too many/i.test(m.reason ?? '')).length;
    const out = await runTool('svcrack', ['-u', VICTIM.name, '-d', dict, '--domain', t.domain, '-p', String(relay.port), '127.0.0.1'], () => locked() >= 20, 30_000);
    const mine = relay.replies.slice(before);
    const refused = mine.filter((m) => m.status === 401).length - 1; // the first 401 is the initial challenge
    ctx.diagnostic(`svcrack: ${refused} guesses refused with 401, then ${locked()} answers 403 (locked); output: ${out.trim().slice(0, 200) || '(none)'}`);
    assert.doesNotMatch(out, new RegExp(VICTIM.password), 'svcrack found the password');
    assert.ok(!mine.some((m) => m.status === 200), 'a guess was accepted');
    assert.ok(locked() > 0, 'the cracker was never locked out');
    assert.ok(refused <= 5, `${refused} wrong guesses were verified before the lock-out`);
    // While locked, even the right password from the attacker's address is refused.
    const c = await t.tcp({ localAddress: ATTACKER });
    const first = await ask(c, t.domain, 'REGISTER', VICTIM.name);
    const challenge = first.m.status === 401 ? pickChallenge(first.m.headerAll('WWW-Authenticate'), 'MD5') : undefined;
    if (challenge) {
      const auth = digestAuthorization({ challenge, credentials: { username: VICTIM.name, password: VICTIM.password }, method: 'REGISTER', uri: `sip:${t.domain}` });
      const { m } = await ask(c, t.domain, 'REGISTER', VICTIM.name, [['Authorization', auth]]);
      assert.equal(m.status, 403, `the right password during the lock-out: ${m.startLine}`);
      assert.match(m.header('Retry-After') ?? '', /^\d+$/);
    } else assert.equal(first.m.status, 403, first.m.startLine);
  });
});
