/**
 * Runs SIPp (Debian `sip-tester`) as a peer SIP stack we did not write: one call of a scenario over
 * TCP, bounded by SIPp's own global timeout and a kill deadline, its message and error logs kept.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const SIPP = '/usr/bin/sipp';

export function sippAvailable(): boolean {
  return existsSync(SIPP);
}

export interface SippRun {
  /** 0: all calls succeeded; 1: at least one failed; 97/99: internal/abnormal exit (SIPp manual, "Exit codes"). */
  code: number | null;
  /** Every message SIPp sent and received (-trace_msg). */
  messages: string;
  /** Unexpected messages (-trace_err). */
  errors: string;
  stdout: string;
  stderr: string;
}

export interface SippOptions {
  scenario: string;
  port: number;
  /** Values for the scenario's [field]-less keywords, passed with -key. */
  keys?: Record<string, string>;
  authUser?: string;
  authPassword?: string;
  /**
   * -auth_uri: the digest-uri. SIPp's default is `sip:<remote ip>:<port>`, but RFC 3261 §22.4 makes
   * it the Request-URI, which a strict server checks (RFC 7616 §3.4.6); pass the Request-URI.
   */
  authUri?: string;
  timeoutSeconds?: number;
}

/** The SIP start lines SIPp logged as received, in order (its -trace_msg format). */
export function receivedStartLines(messages: string): string[] {
  const out: string[] = [];
  for (const block of messages.split(/^-{10,}.*$/m)) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    if (!/message received/.test(lines[0] ?? '')) continue;
    if (lines[1]) out.push(lines[1]);
  }
  return out;
}

/** A local port nobody listens on right now (SIPp binds its own; 5060 may be taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const dir = await mkdtemp(join(tmpdir(), 'ocs-sipp-'));
  const messageFile = join(dir, 'messages.log');
  const errorFile = join(dir, 'errors.log');
  const timeout = options.timeoutSeconds ?? 10;
  const args = [
    `127.0.0.1:${options.port}`,
    '-sf', options.scenario,
    '-t', 't1',
    '-i', '127.0.0.1',
    '-m', '1',
    '-nostdin',
    '-timeout', `${timeout}s`,
    '-timeout_error',
    '-recv_timeout', `${timeout * 1000 - 500}`,
    '-trace_msg', '-message_file', messageFile,
    '-trace_err', '-error_file', errorFile,
    '-p', String(await freePort()),
  ];
  // SIPp writes `uri="sip:<auth_uri>"` itself: give it the URI without its scheme.
  if (options.authUri) args.push('-auth_uri', options.authUri.replace(/^sips?:/i, ''));
  if (options.authUser) args.push('-au', options.authUser);
  if (options.authPassword) args.push('-ap', options.authPassword);
  for (const [k, v] of Object.entries(options.keys ?? {})) args.push('-key', k, v);
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('latin1')).slice(-20_000)));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('latin1')).slice(-20_000)));
      // SIPp's -timeout should end it; this is the backstop for a wedged process.
      const kill = setTimeout(() => child.kill('SIGKILL'), (timeout + 5) * 1000);
      child.on('close', (c) => {
        clearTimeout(kill);
        resolve({ code: c, stdout, stderr });
      });
      child.on('error', (e) => {
        clearTimeout(kill);
        resolve({ code: null, stdout, stderr: `${stderr}\nspawn error: ${e.message}` });
      });
    });
    const read = (f: string): Promise<string> => readFile(f, 'latin1').catch(() => '');
    return { code, stdout, stderr, messages: await read(messageFile), errors: await read(errorFile) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A one-paragraph diagnostic for assertion messages. */
export function describeRun(run: SippRun): string {
  return [
    `sipp exit ${run.code}`,
    `received: ${receivedStartLines(run.messages).join(' | ') || '(nothing)'}`,
    run.errors ? `errors: ${run.errors.slice(0, 1500)}` : '',
    run.stderr ? `stderr: ${run.stderr.slice(-800)}` : '',
  ].filter(Boolean).join('\n');
}
