/**
 * SIP Front End throughput, measured from outside: the Front End runs in a child process (as a user
 * runs it), a lean load generator here builds requests as strings and frames replies by
 * Content-Length only. Figures:
 *  - REGISTER with Digest per second over TCP and over WebSocket (many clients, a bounded window of
 *    requests in flight on each; nonces reused with a rising nc, RFC 7616 §3.4, re-challenged when stale);
 *  - MESSAGE relays per second between registered WebSocket users (token-authenticated, the web
 *    client's path), with p50/p99 latency from send to the callee's 200 back at the sender.
 * Each figure comes with the CPU the server and this generator used meanwhile (% of one core), so a
 * saturated generator is visible. `npx tsx bench/sip.bench.ts` prints a table. Env: BENCH_SECONDS,
 * BENCH_CLIENTS, BENCH_WINDOW.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { digestAuthorization, parseChallenge, type DigestChallenge } from '../server/testing/digest';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_MS = 1_000;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 4);
const PASSWORD = 'bench-secret-1';
const user = (i: number): string => `bench${i}`;

// ---------------------------------------------------------------- the Front End, in a child process

async function serve(users: number): Promise<void> {
  const { startFrontEnd } = await import('../server/app');
  const { DEFAULT_AUTH, DEFAULT_LIMITS } = await import('../server/config');
  const dataDir = await mkdtemp(join(tmpdir(), 'ocs-bench-'));
  const fe = await startFrontEnd(
    {
      host: '127.0.0.1', httpPort: 0, sipPort: 0, dataDir, serveClient: false, seedDemoUsers: false, logLevel: 'error',
      // Every client comes from 127.0.0.1: lift the per-IP flood limits and the lock-out.
      limits: { ...DEFAULT_LIMITS, maxRequestsPerSecondPerIp: 1e9, maxConnectionsPerIp: 1e6 },
      auth: { ...DEFAULT_AUTH, maxFailures: 1e9 },
    },
    { env: {} },
  );
  for (let i = 0; i < users; i++) await fe.db.users.create({ name: user(i), password: PASSWORD }, fe.config.domain);
  process.stdout.write(`${JSON.stringify({ httpPort: fe.httpPort, sipPort: fe.sipPort, domain: fe.config.domain })}\n`);
  const stop = async (): Promise<void> => {
    await fe.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
}

interface Server {
  child: ChildProcess;
  httpPort: number;
  sipPort: number;
  domain: string;
}

async function startServer(users: number): Promise<Server> {
  const repoRoot = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(users)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const info = await new Promise<Omit<Server, 'child'>>((resolveInfo, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the Front End child did not start within 60 s')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolveInfo(JSON.parse(line) as Omit<Server, 'child'>);
      }
    });
    child.once('exit', (code) => reject(new Error(`the Front End child exited (${code}) before it was ready`)));
  });
  return { child, ...info };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  server.child.stdin!.end();
  const kill = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(kill);
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------- lean load generator

interface Link {
  send(text: string): void;
  close(): void;
}

/** TCP with Content-Length framing and nothing else (RFC 3261 §18.3). */
function openTcp(port: number, onMessage: (text: string) => void): Promise<Link & { localPort: number }> {
  return new Promise((resolveLink, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.setNoDelay(true);
      resolveLink({ send: (t) => void socket.write(t, 'latin1'), close: () => socket.destroy(), localPort: socket.localPort ?? 0 });
    });
    socket.once('error', reject);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        while (buffer.startsWith('\r\n')) buffer = buffer.slice(2);
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(buffer.slice(0, headEnd));
        const end = headEnd + 4 + (m ? Number(m[1]) : 0);
        if (buffer.length < end) return;
        onMessage(buffer.slice(0, end));
        buffer = buffer.slice(end);
      }
    });
  });
}

/** One SIP message per WebSocket message (RFC 7118 §5.2). */
function openWs(url: string, onMessage: (text: string) => void): Promise<Link> {
  return new Promise((resolveLink, reject) => {
    const ws = new WebSocket(url, 'sip');
    ws.once('open', () => resolveLink({ send: (t) => ws.send(t), close: () => ws.terminate() }));
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => onMessage(data.toString('latin1')));
  });
}

const statusOf = (text: string): number => (text.startsWith('SIP/2.0 ') ? Number(text.slice(8, 11)) : 0);
const cseqOf = (text: string): number => Number(/\r\nCSeq:[ \t]*(\d+)/i.exec(text)?.[1] ?? -1);
const token = (): string => Math.random().toString(36).slice(2, 12);

/** Shared counters of one phase; `measuring` opens the window after the warm-up. */
class Tally {
  measuring = false;
  ok = 0;
  errors = 0;
  /** The first unexpected status line, for the report. */
  firstError = '';
  error(text: string): void {
    if (!this.measuring) return;
    this.errors++;
    if (!this.firstError) this.firstError = text.slice(0, text.indexOf('\r\n'));
  }
  readonly latencies: number[] = [];
  done(latencyMs?: number): void {
    if (!this.measuring) return;
    this.ok++;
    if (latencyMs !== undefined) this.latencies.push(latencyMs);
  }
}

/** A client that keeps WINDOW REGISTERs in flight on its own connection, answering challenges. */
class RegisterLoop {
  private seq = 0;
  private nc = 0;
  private challenge?: DigestChallenge;
  private readonly callId = `${token()}@bench`;
  private readonly tag = token();
  private readonly instance = randomUUID();
  running = true;

  constructor(
    private readonly link: Link,
    private readonly via: string,
    private readonly name: string,
    private readonly domain: string,
    private readonly tally: Tally,
  ) {}

  private registerText(): string {
    const seq = ++this.seq;
    const uri = `sip:${this.domain}`;
    const auth = this.challenge
      ? `Authorization: ${digestAuthorization({ challenge: this.challenge, credentials: { username: this.name, password: PASSWORD }, method: 'REGISTER', uri, nc: ++this.nc })}\r\n`
      : '';
    const transport = this.via.split(' ')[0]!.split('/')[2]!.toLowerCase();
    return `REGISTER ${uri} SIP/2.0\r\nVia: ${this.via};branch=z9hG4bK${token()}${seq};rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:${this.name}@${this.domain}>;tag=${this.tag}\r\nTo: <sip:${this.name}@${this.domain}>\r\nCall-ID: ${this.callId}\r\n` +
      `CSeq: ${seq} REGISTER\r\nContact: <sip:${this.name}@${this.via.split(' ')[1]};transport=${transport};ob>;+sip.instance="<urn:uuid:${this.instance}>";reg-id=1\r\n` +
      `Expires: 600\r\n${auth}Content-Length: 0\r\n\r\n`;
  }

  start(inFlight = WINDOW): void {
    for (let i = 0; i < inFlight; i++) this.link.send(this.registerText());
  }

  onMessage(text: string): void {
    const status = statusOf(text);
    if (status < 200) return;
    if (status === 401) {
      const header = /^WWW-Authenticate:[ \t]*(Digest [^\r\n]*algorithm=MD5\b[^\r\n]*)$/im.exec(text)?.[1];
      if (header) {
        this.challenge = parseChallenge(header);
        this.nc = 0;
      }
    } else if (status === 200) this.tally.done();
    else this.tally.error(text);
    if (this.running) this.link.send(this.registerText());
  }
}

/** Answers every request with 200 (RFC 3261 §8.2.6: Via, From, To + tag, Call-ID, CSeq copied). */
function answer200(text: string): string {
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const keep = head.split('\r\n').slice(1).filter((l) => /^(via|v|from|f|call-id|i|cseq)[ \t]*:/i.test(l));
  const to = head.split('\r\n').find((l) => /^(to|t)[ \t]*:/i.test(l)) ?? 'To: <sip:unknown@invalid>';
  return `SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\n${/;tag=/i.test(to) ? to : `${to};tag=${token()}`}\r\nContent-Length: 0\r\n\r\n`;
}

// ---------------------------------------------------------------- phases

async function login(server: Server, name: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: name, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${name}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Runs `tally`'s clients through warm-up and the window; figures carry both processes' CPU. */
async function window(server: Server, tally: Tally, prefix: string, unit: string, stop: () => void): Promise<Figure[]> {
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const serverCpu0 = cpuSecondsOf(server.child.pid!);
  const ownCpu0 = process.cpuUsage();
  const t0 = performance.now();
  tally.measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1_000));
  tally.measuring = false;
  const seconds = (performance.now() - t0) / 1_000;
  const own = process.cpuUsage(ownCpu0);
  const serverCpu = cpuSecondsOf(server.child.pid!) - serverCpu0;
  stop();
  const figures: Figure[] = [{ name: prefix, value: tally.ok / seconds, unit }];
  if (tally.latencies.length > 0) {
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    figures.push({ name: `${prefix}.p50`, value: at(0.5), unit: 'ms' }, { name: `${prefix}.p99`, value: at(0.99), unit: 'ms' });
  }
  if (tally.errors > 0) figures.push({ name: `${prefix}.errors`, value: tally.errors, unit: `responses (first: ${tally.firstError})` });
  figures.push(
    { name: `${prefix}.server_cpu`, value: (serverCpu / seconds) * 100, unit: '% of a core' },
    { name: `${prefix}.bench_cpu`, value: ((own.user + own.system) / 1e6 / seconds) * 100, unit: '% of a core' },
  );
  return figures;
}

async function registerPhase(server: Server, transport: 'TCP' | 'WS'): Promise<Figure[]> {
  const tally = new Tally();
  const loops: RegisterLoop[] = [];
  const links: Link[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    let loop: RegisterLoop | undefined;
    const onMessage = (text: string): void => loop?.onMessage(text);
    let via: string;
    if (transport === 'TCP') {
      const link = await openTcp(server.sipPort, onMessage);
      links.push(link);
      via = `SIP/2.0/TCP 127.0.0.1:${link.localPort}`;
    } else {
      links.push(await openWs(`ws://127.0.0.1:${server.httpPort}/sip`, onMessage));
      via = `SIP/2.0/WS ${token()}.invalid`;
    }
    loop = new RegisterLoop(links[i]!, via, user(i), server.domain, tally);
    loops.push(loop);
  }
  for (const loop of loops) loop.start();
  return window(server, tally, `register.digest.${transport.toLowerCase()}`, 'REGISTER/s', () => {
    for (const loop of loops) loop.running = false;
    for (const link of links) link.close();
  });
}

/** CLIENTS senders, each to its own registered receiver, WINDOW MESSAGEs in flight each. */
async function messagePhase(server: Server): Promise<Figure[]> {
  const tally = new Tally();
  const links: Link[] = [];
  const senders: Array<{ link: Link; from: string; to: string; seq: number; sentAt: Map<number, number> }> = [];
  let running = true;
  const sendNext = (s: (typeof senders)[number]): void => {
    const seq = ++s.seq;
    s.sentAt.set(seq, performance.now());
    s.link.send(
      `MESSAGE ${s.to} SIP/2.0\r\nVia: SIP/2.0/WS ${token()}.invalid;branch=z9hG4bK${token()}${seq}\r\nMax-Forwards: 70\r\n` +
        `From: <${s.from}>;tag=${token()}\r\nTo: <${s.to}>\r\nCall-ID: ${token()}${seq}@bench\r\nCSeq: ${seq} MESSAGE\r\n` +
        `Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`,
    );
  };
  for (let i = 0; i < CLIENTS; i++) {
    const receiverName = user(CLIENTS + i);
    let registered: (text: string) => void = () => undefined;
    const receiver = await openWs(`ws://127.0.0.1:${server.httpPort}/sip?access_token=${await login(server, receiverName)}`, (text) => {
      if (statusOf(text) === 0 && !text.startsWith('ACK ')) receiver.send(answer200(text));
      else registered(text);
    });
    links.push(receiver);
    // The token authenticates the WebSocket: one REGISTER, no challenge expected.
    const status = await new Promise<number>((r) => {
      registered = (text) => statusOf(text) >= 200 && r(statusOf(text));
      new RegisterLoop(receiver, `SIP/2.0/WS ${token()}.invalid`, receiverName, server.domain, new Tally()).start(1);
    });
    if (status !== 200) throw new Error(`REGISTER ${receiverName} with a token: ${status}`);
    const s = { link: undefined as unknown as Link, from: `sip:${user(i)}@${server.domain}`, to: `sip:${receiverName}@${server.domain}`, seq: 0, sentAt: new Map<number, number>() };
    s.link = await openWs(`ws://127.0.0.1:${server.httpPort}/sip?access_token=${await login(server, user(i))}`, (text) => {
      const status = statusOf(text);
      if (status < 200) return;
      const t0 = s.sentAt.get(cseqOf(text));
      s.sentAt.delete(cseqOf(text));
      if (status === 200) tally.done(t0 === undefined ? undefined : performance.now() - t0);
      else tally.error(text);
      if (running) sendNext(s);
    });
    links.push(s.link);
    senders.push(s);
  }
  for (const s of senders) for (let k = 0; k < WINDOW; k++) sendNext(s);
  return window(server, tally, 'message.relay.ws', 'MESSAGE/s', () => {
    running = false;
    for (const link of links) link.close();
  });
}

export async function benchSip(): Promise<Figure[]> {
  const server = await startServer(CLIENTS * 2);
  try {
    return [...(await registerPhase(server, 'TCP')), ...(await registerPhase(server, 'WS')), ...(await messagePhase(server))];
  } finally {
    await stopServer(server);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--serve')) {
    await serve(Number(process.argv[process.argv.indexOf('--serve') + 1] ?? 64));
  } else {
    const figures = await benchSip();
    for (const f of figures) console.log(`${f.name.padEnd(36)} ${f.value.toFixed(f.value < 100 ? 2 : 0).padStart(10)} ${f.unit}`);
  }
}
