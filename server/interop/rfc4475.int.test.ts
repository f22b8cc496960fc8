/**
 * RFC 4475 torture messages over the wire, against the whole Front End, over TCP and over
 * WebSocket. The files are read in place from /work/shared/rfc4475 (never copied), their template
 * variables filled for this server, each sent on a fresh connection; the verdict table
 * (rfc4475-table.ts) says what is acceptable. After each, a fresh client must still get an answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SipConnection, TestTransport } from '../testing/connection';
import { TestFrontEnd } from '../testing/frontend';
import { describeOutcome, outcomeOf, ping, type Outcome } from '../testing/probes';
import { RFC4475, verdictFor, type Verdict } from './rfc4475-table';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const corpus = resolve(repoRoot, '..', 'shared', 'rfc4475');
const present = existsSync(corpus);

/** Fills the README's template variables; bytes stay bytes (latin1 round-trips every octet). */
function fill(name: string, transport: TestTransport, port: number, domain: string): Buffer {
  const text = readFileSync(resolve(corpus, `${name}.sip`)).toString('latin1');
  return Buffer.from(
    text
      .replaceAll('{{DOMAIN}}', domain)
      .replaceAll('{{HOST}}', '127.0.0.1')
      .replaceAll('{{PORT}}', String(port))
      .replaceAll('{{TRANSPORT}}', transport)
      .replaceAll('{{transport}}', transport.toLowerCase()),
    'latin1',
  );
}

/** The Call-ID of the first message, when its head has exactly one (multi01 has two, insuf none). */
function callIdOf(raw: Buffer): string | undefined {
  const head = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
  const ids = [...head.matchAll(/^(?:call-id|i)[ \t]*:[ \t]*(.*?)[ \t]*$/gim)].map((m) => m[1]!);
  return ids.length === 1 ? ids[0] : undefined;
}

/**
 * For a message that should get no answer: an OPTIONS sent after it on the same connection is
 * answered in order, so its answer bounds the wait; anything else answered meanwhile is a reply.
 */
async function silenceOutcome(connection: SipConnection, domain: string): Promise<Outcome> {
  const before = connection.received.length;
  try {
    await ping(connection, domain, 4_000);
  } catch {
    return connection.isClosed ? { kind: 'closed' } : { kind: 'silent' };
  }
  const replies = connection.received.slice(before).filter((m) => m.kind === 'response' && !/@probe$/.test(m.header('call-id') ?? ''));
  return replies[0] ? { kind: 'response', message: replies[0] } : { kind: 'silent' };
}

function judge(outcome: Outcome, verdict: Verdict): string | undefined {
  if (outcome.kind === 'closed') {
    if (!verdict.mayClose) return 'the connection was closed';
    return verdict.answerBeforeClose ? 'the connection was closed without answering the request that arrived whole before the fault' : undefined;
  }
  if (outcome.kind === 'silent') return verdict.silent ? undefined : 'no response';
  const status = outcome.message.status ?? 0;
  const { answer } = verdict;
  if (answer === undefined) return `a response (${outcome.message.startLine}) to a message that must not be answered`;
  if (answer === 'not-400' && status === 400) return `400 to a valid message: ${outcome.message.startLine}`;
  if (Array.isArray(answer) && !answer.includes(status)) return `got ${outcome.message.startLine}, acceptable: ${answer.join('/')}${verdict.mayClose ? ' or close' : ''}`;
  try {
    verdict.check?.(outcome.message);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

describe('RFC 4475 torture messages over the wire', { skip: present ? false : `RFC 4475 corpus not found at ${corpus} (shared/rfc4475)` }, () => {
  let t: TestFrontEnd;

  before(async () => {
    // A short assembly timeout lets clerr (Content-Length 9999) end within the test.
    t = await TestFrontEnd.start({ overrides: { limits: { messageAssemblyTimeoutMs: 1_000 } } });
  });
  after(async () => {
    await t?.close();
  });

  test('the table has a row for every file of the corpus and no other', () => {
    const files = readdirSync(corpus).filter((f) => f.endsWith('.sip')).map((f) => f.slice(0, -4)).sort();
    assert.deepEqual(files, Object.keys(RFC4475).sort());
  });

  for (const transport of ['TCP', 'WS'] as const) {
    for (const [name, row] of Object.entries(RFC4475)) {
      const verdict = verdictFor(row, transport);
      test(`${transport} ${name} (RFC 4475 §${row.section}): ${row.rfc}`, async () => {
        const port = transport === 'TCP' ? t.sipPort : t.httpPort;
        const raw = fill(name, transport, port, t.domain);
        const connection = await t.connect(transport);
        try {
          connection.send(raw);
          const outcome = verdict.answer === undefined ? await silenceOutcome(connection, t.domain) : await outcomeOf(connection, callIdOf(raw), 4_000);
          const problem = judge(outcome, verdict);
          const unparsed = connection.unparsed.length ? `; unparsable reply bytes: ${JSON.stringify(Buffer.concat(connection.unparsed).toString('latin1').slice(0, 200))}` : '';
          assert.equal(problem, undefined, `${name} over ${transport}: ${problem} (outcome: ${describeOutcome(outcome)}${unparsed})`);
          // A valid message must leave its connection usable.
          if (!verdict.mayClose && outcome.kind !== 'closed') {
            const again = await ping(connection, t.domain).catch((e: Error) => e);
            assert.ok(!(again instanceof Error), `${name}: the same connection no longer answers: ${again instanceof Error ? again.message : ''}`);
          }
        } finally {
          connection.close();
        }
        // The server is still up for everybody else.
        const probe = await t.tcp();
        try {
          const res = await ping(probe, t.domain);
          assert.ok((res.status ?? 0) < 500, `after ${name}: a fresh OPTIONS got ${res.startLine}`);
        } finally {
          probe.close();
        }
      });
    }
  }
});
