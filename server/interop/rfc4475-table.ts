/**
 * What RFC 4475 §3 says a server must do with each torture message when it arrives over a
 * connection (TCP, or one WebSocket frame per message, RFC 7118 §5.2), seen from the wire.
 *
 * The senders are anonymous: a valid request may legitimately be challenged (401/407) or refused
 * for routing reasons (404/480) — what a valid message must never get is 400, and its connection
 * must stay usable. Invalid requests get the named status, or the connection is closed where the
 * byte stream cannot be re-synchronised (RFC 3261 §18.3). Responses that match no transaction are
 * discarded (RFC 3261 §18.1.2: the top Via is not ours); a response is never answered.
 */
import type { TestTransport } from '../testing/connection';
import type { WireMessage } from '../testing/sip-wire';

export interface Verdict {
  /** Acceptable final statuses; 'not-400' = any final response except 400; 'any' = any final response. */
  answer?: number[] | 'not-400' | 'any';
  /** Closing the connection (instead of, or right after, answering) is acceptable. */
  mayClose?: boolean;
  /** With mayClose: a response must still come before the close (requests that arrived whole). */
  answerBeforeClose?: boolean;
  /** No response at all is acceptable (and for `silent`-only rows, required). */
  silent?: boolean;
  /** Further checks on the final response. */
  check?: (response: WireMessage) => void;
}

export interface TortureRow {
  section: string;
  /** The RFC's verdict, in short. */
  rfc: string;
  tcp: Verdict;
  /** Defaults to the TCP verdict. */
  ws?: Verdict;
}

const VALID: Verdict = { answer: 'not-400' };
const INVALID_400: Verdict = { answer: [400], mayClose: true };
/** A response arriving at a proxy that matches no transaction: dropped, never answered. */
const DISCARDED_RESPONSE: Verdict = { silent: true };
const INVALID_RESPONSE: Verdict = { silent: true, mayClose: true };

function headerIncludes(name: string, token: RegExp): (m: WireMessage) => void {
  return (m) => {
    const values = m.headerAll(name).join(', ');
    if (!token.test(values)) throw new Error(`${m.startLine}: ${name} is "${values}", expected ${token}`);
  };
}

export const RFC4475: Record<string, TortureRow> = {
  // §3.1.1 Valid messages.
  wsinv: { section: '3.1.1.1', rfc: 'valid (LWS, folding, odd case everywhere); the Route names us and is popped', tcp: VALID },
  intmeth: { section: '3.1.1.2', rfc: 'valid; unknown method is proxied (a UAS would say 501)', tcp: VALID },
  esc01: { section: '3.1.1.3', rfc: 'valid; escaped URI parts compare equal to unescaped', tcp: VALID },
  escnull: { section: '3.1.1.4', rfc: 'valid REGISTER with %00 in user parts', tcp: VALID },
  esc02: { section: '3.1.1.5', rfc: 'valid; method RE%47IST%45R is not REGISTER: 501 (or 405); a challenge may come first', tcp: { answer: [501, 405, 407] } },
  lwsdisp: { section: '3.1.1.6', rfc: 'valid; display name with no space before <', tcp: VALID },
  longreq: { section: '3.1.1.7', rfc: 'valid; very long values', tcp: VALID },
  dblreq: {
    section: '3.1.1.8',
    rfc: 'REGISTER then INVITE in one datagram: only the REGISTER counts; on a stream both are messages',
    tcp: { answer: 'not-400', mayClose: true, answerBeforeClose: true },
    ws: { answer: 'any' },
  },
  semiuri: { section: '3.1.1.9', rfc: 'valid; ; in the user part', tcp: VALID },
  transports: { section: '3.1.1.10', rfc: 'valid; unknown transports in lower Vias', tcp: VALID },
  mpart01: { section: '3.1.1.11', rfc: 'valid; binary multipart body', tcp: VALID },
  unreason: { section: '3.1.1.12', rfc: 'valid response with a UTF-8 reason: matches nothing, dropped', tcp: DISCARDED_RESPONSE },
  noreason: { section: '3.1.1.13', rfc: 'valid response with an empty reason: dropped', tcp: DISCARDED_RESPONSE },
  // §3.1.2 Invalid messages.
  badinv01: { section: '3.1.2.1', rfc: 'extraneous ; and , in Via/Contact: 400', tcp: INVALID_400 },
  clerr: {
    section: '3.1.2.2',
    rfc: 'Content-Length larger than the message: 400 on a datagram; a stream waits for the bytes (assembly timeout, close)',
    tcp: { answer: [400], mayClose: true },
    ws: INVALID_400,
  },
  ncl: { section: '3.1.2.3', rfc: 'negative Content-Length: 400 (or close: the stream cannot be framed)', tcp: INVALID_400 },
  scalar02: { section: '3.1.2.4', rfc: 'CSeq >= 2**32 and Max-Forwards > 255: 400', tcp: INVALID_400 },
  scalarlg: { section: '3.1.2.5', rfc: 'response with overlarge scalars: dropped', tcp: INVALID_RESPONSE },
  quotbal: { section: '3.1.2.6', rfc: 'unterminated quoted string: 400', tcp: INVALID_400 },
  ltgtruri: { section: '3.1.2.7', rfc: 'Request-URI in <>: 400', tcp: INVALID_400 },
  lwsruri: { section: '3.1.2.8', rfc: 'LWS inside the Request-URI: 400', tcp: INVALID_400 },
  lwsstart: { section: '3.1.2.9', rfc: 'several SP in the Request-Line: 400', tcp: INVALID_400 },
  trws: { section: '3.1.2.10', rfc: 'SP after SIP/2.0 in the Request-Line: 400', tcp: INVALID_400 },
  escruri: { section: '3.1.2.11', rfc: 'URI headers (?Route=) in the Request-URI: 400', tcp: INVALID_400 },
  baddate: { section: '3.1.2.12', rfc: 'Date not in GMT: may be accepted liberally or refused 400', tcp: { answer: 'any' } },
  regbadct: { section: '3.1.2.13', rfc: 'Contact URI with ? outside <>: 400 (an unauthenticated REGISTER may be challenged first)', tcp: { answer: [400, 401, 403, 404], mayClose: true } },
  badaspec: { section: '3.1.2.14', rfc: 'spaces inside <addr-spec>: reasonable to reject, may be accepted liberally', tcp: { answer: 'any' } },
  baddn: { section: '3.1.2.15', rfc: 'unquoted display name with comma: reasonable to reject, may be accepted liberally', tcp: { answer: 'any' } },
  badvers: { section: '3.1.2.16', rfc: 'SIP/7.0: 505 Version Not Supported', tcp: { answer: [505] } },
  mismatch01: { section: '3.1.2.17', rfc: 'CSeq method differs from the Request-Line: 400', tcp: INVALID_400 },
  mismatch02: { section: '3.1.2.18', rfc: 'unknown method with mismatched CSeq: 400, not 501', tcp: INVALID_400 },
  bigcode: { section: '3.1.2.19', rfc: 'response with status 4294967301: dropped', tcp: INVALID_RESPONSE },
  // §3.2 Transaction layer.
  badbranch: { section: '3.2.1', rfc: 'branch is only the magic cookie: process normally', tcp: VALID },
  // §3.3 Application layer.
  insuf: { section: '3.3.1', rfc: 'no To, From, Call-ID, Max-Forwards: 400 or dropped, never a crash', tcp: { answer: [400], mayClose: true, silent: true } },
  unkscm: { section: '3.3.2', rfc: 'unknown Request-URI scheme: 416 (RFC 3261 §16.3 step 2, before authentication)', tcp: { answer: [416] } },
  novelsc: { section: '3.3.3', rfc: 'unknown scheme soap.beep: 416', tcp: { answer: [416] } },
  unksm2: { section: '3.3.4', rfc: 'REGISTER with non-SIP To/Contact: refused (416/400), possibly after a challenge', tcp: { answer: [400, 401, 403, 404, 416] } },
  bext01: {
    section: '3.3.5',
    rfc: 'unknown Proxy-Require: 420 with Unsupported listing them (RFC 3261 §16.3 step 5)',
    tcp: { answer: [420], check: headerIncludes('Unsupported', /noProxiesSupportThis/) },
  },
  invut: { section: '3.3.6', rfc: 'unknown body type: a UAS says 415, a proxy forwards', tcp: VALID },
  regaut01: {
    section: '3.3.7',
    rfc: 'REGISTER with an unknown Authorization scheme: 401 with a Digest challenge',
    tcp: { answer: [401], check: headerIncludes('WWW-Authenticate', /^Digest /i) },
  },
  multi01: { section: '3.3.8', rfc: 'several To/From/Call-ID/CSeq/Max-Forwards: 400', tcp: INVALID_400 },
  mcl01: { section: '3.3.9', rfc: 'two Content-Length values: 400 (or close: the stream cannot be framed)', tcp: INVALID_400 },
  bcast: { section: '3.3.10', rfc: 'response naming a broadcast Via: dropped, never sent anywhere', tcp: DISCARDED_RESPONSE },
  zeromf: { section: '3.3.11', rfc: 'Max-Forwards 0 to a user: 483 Too Many Hops (RFC 3261 §16.3 step 3)', tcp: { answer: [483] } },
  cparam01: { section: '3.3.12', rfc: 'valid REGISTER; unknownparam is a header parameter', tcp: VALID },
  cparam02: { section: '3.3.13', rfc: 'valid REGISTER; unknownparam is a URI parameter', tcp: VALID },
  regescrt: { section: '3.3.14', rfc: 'valid REGISTER; the escaped Route in the Contact is kept', tcp: VALID },
  sdp01: { section: '3.3.15', rfc: 'Accept without SDP: a UAS says 406, a proxy forwards', tcp: VALID },
  // §3.4 Backward compatibility.
  inv2543: {
    section: '3.4.1',
    rfc: 'RFC 2543 INVITE: to be processed; without Content-Length a stream cannot frame its body',
    tcp: { answer: 'any', mayClose: true },
    ws: { answer: 'any' },
  },
};

export function verdictFor(row: TortureRow, transport: TestTransport): Verdict {
  return transport === 'WS' ? row.ws ?? row.tcp : row.tcp;
}
