/** Helpers for the hand-written corpus: messages are written as lines and joined with CRLF. */
import type { SipMessage } from '../types';

export interface Fixture {
  name: string;
  raw: Buffer;
  /** Parser outcome: accepted, or the SipParseError status and a pattern of its reason. */
  expect: 'accept' | { status: 400 | 413 | 414 | 505 | 513; reason: RegExp };
  /** Extra assertions on an accepted message (throw on mismatch). */
  check?: (m: SipMessage) => void;
  /** Limits to parse with, when the fixture is about a bound. */
  limits?: Partial<import('../types').ParserLimits>;
}

/** Start line + header lines, the empty line, then the body (UTF-8 text or bytes). */
export function wire(lines: string[], body: string | Buffer = ''): Buffer {
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** The usual mandatory headers of a request, so fixtures only spell out their trap. */
export function standard(method: string, cseq = 1): string[] {
  return [
    'Via: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74bf9',
    'Max-Forwards: 70',
    'From: Alice <sip:alice@example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@example.com>',
    'Call-ID: 3848276298220188511@client.example.com',
    `CSeq: ${cseq} ${method}`,
  ];
}

export function request(method: string, uri: string, extra: string[] = [], body = ''): Buffer {
  const len = Buffer.byteLength(body, 'utf8');
  return wire([`${method} ${uri} SIP/2.0`, ...standard(method), ...extra, `Content-Length: ${len}`], body);
}

export const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 97',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

export function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, (_k, v) => (v instanceof Map ? [...v] : v));
  const e = JSON.stringify(expected, (_k, v) => (v instanceof Map ? [...v] : v));
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
