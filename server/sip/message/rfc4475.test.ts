/**
 * RFC 4475 torture messages, read in place from /work/shared/rfc4475 (never copied here). The table
 * says what the PARSER does with each (accept, or the SipParseError status) and which layer answers
 * the messages that parse but must still be refused.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SipParseError, StreamFramer, allVias, contactsOf, cseqOf, errorResponseFor, fromOf, maxForwardsOf,
  parseMessage, toOf, truncatedBytes, type SipMessage,
} from './index';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = resolve(repoRoot, '..', 'shared', 'rfc4475');

function load(name: string): Buffer {
  const text = readFileSync(resolve(dir, `${name}.sip`)).toString('latin1');
  const filled = text
    .replaceAll('{{DOMAIN}}', 'ocs.test')
    .replaceAll('{{HOST}}', '127.0.0.1')
    .replaceAll('{{PORT}}', '5060')
    .replaceAll('{{TRANSPORT}}', 'TCP')
    .replaceAll('{{transport}}', 'tcp');
  return Buffer.from(filled, 'latin1');
}

type Outcome = 'accept' | 400 | 505 | 513;
interface Row {
  section: string;
  parser: Outcome;
  /** Who answers what, when the parser accepts a message that is still refused or special. */
  note: string;
}

const TABLE: Record<string, Row> = {
  // §3.1.1 valid messages: the parser must accept them.
  wsinv: { section: '3.1.1.1', parser: 'accept', note: 'valid; proxy forwards' },
  intmeth: { section: '3.1.1.2', parser: 'accept', note: 'valid; unknown method -> 405/501 by dispatcher' },
  esc01: { section: '3.1.1.3', parser: 'accept', note: 'valid' },
  escnull: { section: '3.1.1.4', parser: 'accept', note: 'valid; registrar stores %00 users' },
  esc02: { section: '3.1.1.5', parser: 'accept', note: 'method RE%47IST%45R is not REGISTER -> 501' },
  lwsdisp: { section: '3.1.1.6', parser: 'accept', note: 'valid' },
  longreq: { section: '3.1.1.7', parser: 'accept', note: 'valid' },
  dblreq: { section: '3.1.1.8', parser: 'accept', note: 'datagram/frame: INVITE after Content-Length discarded' },
  semiuri: { section: '3.1.1.9', parser: 'accept', note: 'valid' },
  transports: { section: '3.1.1.10', parser: 'accept', note: 'valid' },
  mpart01: { section: '3.1.1.11', parser: 'accept', note: 'valid; multipart body' },
  unreason: { section: '3.1.1.12', parser: 'accept', note: 'valid response' },
  noreason: { section: '3.1.1.13', parser: 'accept', note: 'valid response, empty reason' },
  // §3.1.2 invalid messages.
  badinv01: { section: '3.1.2.1', parser: 400, note: 'extraneous separators in Via/Contact' },
  clerr: { section: '3.1.2.2', parser: 400, note: 'datagram: 400; stream: waits for 9999 octets (assembly timeout)' },
  ncl: { section: '3.1.2.3', parser: 400, note: 'negative Content-Length' },
  scalar02: { section: '3.1.2.4', parser: 400, note: 'CSeq >= 2**31, Max-Forwards > 255' },
  scalarlg: { section: '3.1.2.5', parser: 400, note: 'response: dropped, never answered' },
  quotbal: { section: '3.1.2.6', parser: 400, note: 'unterminated quoted string' },
  ltgtruri: { section: '3.1.2.7', parser: 400, note: '<> around Request-URI' },
  lwsruri: { section: '3.1.2.8', parser: 400, note: 'LWS in Request-URI' },
  lwsstart: { section: '3.1.2.9', parser: 400, note: 'multiple SP in Request-Line' },
  trws: { section: '3.1.2.10', parser: 400, note: 'trailing SP in Request-Line' },
  escruri: { section: '3.1.2.11', parser: 400, note: 'headers in Request-URI' },
  baddate: { section: '3.1.2.12', parser: 'accept', note: 'Date is informational; RFC 4475 allows liberal acceptance' },
  regbadct: { section: '3.1.2.13', parser: 400, note: 'URI with ? outside <>' },
  badaspec: { section: '3.1.2.14', parser: 400, note: 'spaces inside <addr-spec>' },
  baddn: { section: '3.1.2.15', parser: 400, note: 'unquoted display name with comma' },
  badvers: { section: '3.1.2.16', parser: 505, note: 'SIP/7.0' },
  mismatch01: { section: '3.1.2.17', parser: 400, note: 'CSeq method mismatch' },
  mismatch02: { section: '3.1.2.18', parser: 400, note: 'unknown method, CSeq mismatch' },
  bigcode: { section: '3.1.2.19', parser: 400, note: 'response: dropped' },
  // §3.2 transaction layer, §3.3 application layer, §3.4 backward compatibility.
  badbranch: { section: '3.2.1', parser: 'accept', note: 'branch "z9hG4bK" alone: transaction layer matches as RFC 2543' },
  insuf: { section: '3.3.1', parser: 400, note: 'missing To, From, Call-ID' },
  unkscm: { section: '3.3.2', parser: 'accept', note: 'proxy answers 416' },
  novelsc: { section: '3.3.3', parser: 'accept', note: 'proxy answers 416 (soap.beep)' },
  unksm2: { section: '3.3.4', parser: 'accept', note: 'registrar refuses non-SIP To/Contact (400/416)' },
  bext01: { section: '3.3.5', parser: 'accept', note: 'proxy/UAS answers 420 with Unsupported' },
  invut: { section: '3.3.6', parser: 'accept', note: 'UAS answers 415' },
  regaut01: { section: '3.3.7', parser: 'accept', note: 'registrar answers 401 challenge' },
  multi01: { section: '3.3.8', parser: 400, note: 'repeated single-value headers' },
  mcl01: { section: '3.3.9', parser: 400, note: 'two Content-Length values' },
  bcast: { section: '3.3.10', parser: 'accept', note: 'response matches no transaction: dropped' },
  zeromf: { section: '3.3.11', parser: 'accept', note: 'proxy answers 483 (or the OPTIONS itself)' },
  cparam01: { section: '3.3.12', parser: 'accept', note: 'unknownparam is a Contact header param' },
  cparam02: { section: '3.3.13', parser: 'accept', note: 'unknownparam is a URI param' },
  regescrt: { section: '3.3.14', parser: 'accept', note: 'registrar keeps the URI header' },
  sdp01: { section: '3.3.15', parser: 'accept', note: 'UAS answers 406 (Accept)' },
  inv2543: { section: '3.4.1', parser: 'accept', note: 'RFC 2543 INVITE; no Content-Length: fatal 400 on a stream' },
};

function outcome(raw: Buffer): { msg?: SipMessage; err?: SipParseError } {
  try {
    return { msg: parseMessage(raw) };
  } catch (e) {
    if (e instanceof SipParseError) return { err: e };
    throw e;
  }
}

const present = existsSync(dir);

describe('RFC 4475 torture messages (parser level)', { skip: present ? false : `RFC 4475 corpus not found at ${dir}` }, () => {
  test('the table covers every file, and every file has a row', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.sip')).map((f) => f.slice(0, -4)).sort();
    assert.equal(files.length, 49);
    assert.deepEqual(files, Object.keys(TABLE).sort());
  });

  for (const [name, row] of Object.entries(TABLE)) {
    test(`${name} (§${row.section}): ${row.parser} (${row.note})`, () => {
      const raw = load(name);
      const r = outcome(raw);
      if (row.parser === 'accept') {
        assert.ok(r.msg, `expected accept, got ${r.err?.message}`);
      } else {
        assert.ok(r.err, 'expected a SipParseError');
        assert.equal(r.err.status, row.parser, r.err.message);
        assert.match(r.err.reason, /\(|Not Supported/, 'reason names the fault');
        // Requests get an answer built from their raw bytes; responses never do.
        const isRequest = !raw.toString('latin1', 0, 4).startsWith('SIP/');
        const answer = errorResponseFor(raw, r.err);
        assert.equal(answer !== undefined, isRequest, 'error response only for requests');
        if (answer) assert.ok(answer.toString('latin1').startsWith(`SIP/2.0 ${row.parser} `));
      }
    });
  }

  test('wsinv: folded, LWS-laden values are read correctly', () => {
    const m = parseMessage(load('wsinv'));
    assert.equal(m.kind, 'request');
    assert.equal(toOf(m).params.get('tag'), '1918181833n');
    assert.equal(fromOf(m).displayName, 'J Rosenberg \\"');
    assert.equal(fromOf(m).params.get('tag'), '98asjd8');
    assert.equal(maxForwardsOf(m), 68);
    assert.deepEqual(cseqOf(m), { seq: 9, method: 'INVITE' });
    const vias = allVias(m);
    assert.equal(vias.length, 3);
    assert.deepEqual([vias[1]!.host, vias[1]!.params.get('branch')], ['spindle.example.com', 'z9hG4bK9ikj8']);
    assert.deepEqual([vias[2]!.transport, vias[2]!.params.get('branch')], ['UDP', 'z9hG4bK30239']);
    assert.equal(contactsOf(m)[0]!.params.get('q'), '0.33');
    assert.equal(m.headers.get('Subject'), '');
    assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
  });

  test('esc01 / escnull / intmeth: escapes decoded, methods and users kept exactly', () => {
    const esc = parseMessage(load('esc01'));
    assert.equal(esc.kind === 'request' && esc.uri.user, 'sips:user@example.com');
    assert.equal(contactsOf(esc)[0]!.uri.user, 'caller');
    assert.equal(contactsOf(esc)[0]!.uri.params.get('name'), 'v%61lue%25%34%31');
    assert.ok(contactsOf(esc)[0]!.uri.params.has('lr'));
    const nul = parseMessage(load('escnull'));
    assert.equal(contactsOf(nul)[1]!.uri.user, '\0\0');
    const im = parseMessage(load('intmeth'));
    assert.equal(im.kind === 'request' && im.method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.equal(im.kind === 'request' && im.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(fromOf(im).params.get("fromparam''~+*_!.-%"), '"работающий"');
  });

  test('unreason keeps its UTF-8 reason phrase; dblreq discards the trailing INVITE in a datagram', () => {
    const r = parseMessage(load('unreason'));
    assert.ok(r.kind === 'response' && r.reason.includes('девяносто девять'));
    const d = parseMessage(load('dblreq'));
    assert.equal(d.kind === 'request' && d.method, 'REGISTER');
    assert.ok(truncatedBytes(d) > 0);
  });

  test('on a stream: dblreq is two requests, inv2543 is fatal, clerr waits for its body', () => {
    const run = (name: string) => {
      const seen: string[] = [];
      const errors: SipParseError[] = [];
      const f = new StreamFramer(undefined, (m) => seen.push(m.kind === 'request' ? m.method : String(m.status)), (e) => errors.push(e));
      f.push(load(name));
      return { f, seen, errors };
    };
    const dbl = run('dblreq');
    assert.deepEqual(dbl.seen, ['REGISTER', 'INVITE']);
    // The INVITE's body is 5 octets longer than its Content-Length: on a stream they are a new
    // "message" without Content-Length, and the stream cannot be re-synchronised.
    assert.equal(dbl.errors.length, 1);
    assert.ok(dbl.errors[0]!.options.fatal && dbl.f.dead);
    const old = run('inv2543');
    assert.deepEqual(old.seen, []);
    assert.equal(old.errors[0]?.reason, 'Bad Request (missing Content-Length on a stream)');
    assert.ok(old.errors[0]!.options.fatal && old.f.dead);
    const clerr = run('clerr');
    assert.deepEqual([clerr.seen, clerr.errors], [[], []]);
    assert.ok(clerr.f.inMessage && clerr.f.buffered > 0);
  });
});
