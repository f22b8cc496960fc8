/**
 * SIP parser throughput: messages per second for parse of a typical REGISTER, an INVITE with SDP,
 * a 200 OK, and parse + serialize of the INVITE; plus the stream framer on a coalesced TCP chunk.
 * Rates are per second of this process's CPU time (user + system), so a busy machine slows the run
 * but does not skew the figure much. `npx tsx bench/parser.bench.ts` prints a table.
 */
import { pathToFileURL } from 'node:url';
import { StreamFramer, parseMessage, serialize, topVia, cseqOf } from '../server/sip/message/index';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const crlf = (lines: string[], body = '') => Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');

const SDP = [
  'v=0', 'o=- 4858404578371539810 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'a=msid-semantic: WMS stream', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0', 'a=ice-ufrag:8hhY', 'a=ice-pwd:asd88fgpdd777uzjYhagZg', 'a=ice-options:trickle',
  'a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F',
  'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=ssrc:1001 cname:4TOk42mSjXCkVIa6', '',
].join('\r\n');

export const REGISTER = crlf([
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7;rport',
  'Max-Forwards: 70',
  'To: <sip:alice@example.com>',
  'From: "Alice" <sip:alice@example.com>;tag=2ejcpf4b1r',
  'Call-ID: 0qg1f2h4lqtrrsp1ejlj1v',
  'CSeq: 2 REGISTER',
  'Authorization: Digest algorithm=MD5, username="alice", realm="example.com", nonce="5f1c2e3d4b5a", uri="sip:example.com", response="3d6b0d6c8f3a1b2c4d5e6f708192a3b4", qop=auth, cnonce="a1b2c3", nc=00000001',
  'Contact: <sip:k6j3p1vq@df7jal23ls0d.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:8f9e3f2e-1c1a-4b8a-9d6c-1f2e3d4c5b6a>";expires=600',
  'Expires: 600',
  'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
  'Supported: path,gruu,outbound',
  'User-Agent: SIP.js/0.21.2',
  'Content-Length: 0',
]);

export const INVITE = crlf([
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK7736512;rport',
  'Max-Forwards: 70',
  'To: <sip:bob@example.com>',
  'From: "Alice" <sip:alice@example.com>;tag=4sbe1mu1fl',
  'Call-ID: ttgeb3tmrb0bi2fqrl57',
  'CSeq: 1 INVITE',
  'Contact: <sip:k6j3p1vq@df7jal23ls0d.invalid;transport=ws;ob>',
  'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
  'Supported: outbound',
  'User-Agent: SIP.js/0.21.2',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(SDP)}`,
], SDP);

export const OK200 = crlf([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/TCP fe1.example.com:5060;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.10',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK7736512;rport=51234;received=198.51.100.7',
  'Record-Route: <sip:fe1.example.com;transport=tcp;lr>',
  'To: <sip:bob@example.com>;tag=8321234356',
  'From: "Alice" <sip:alice@example.com>;tag=4sbe1mu1fl',
  'Call-ID: ttgeb3tmrb0bi2fqrl57',
  'CSeq: 1 INVITE',
  'Contact: <sip:bob@192.0.2.4:5060;transport=tcp>',
  'Content-Length: 0',
]);

function measure(name: string, ms: number, op: () => void, perOp = 1): BenchResult {
  for (let i = 0; i < 2000; i++) op(); // warm-up (JIT)
  let n = 0;
  const wallStart = Date.now();
  const cpuStart = process.cpuUsage();
  while (Date.now() - wallStart < ms) {
    for (let i = 0; i < 500; i++) op();
    n += 500;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Very short runs can fall under the CPU clock's resolution: use wall time then.
  const seconds = cpuSeconds > 0.005 ? cpuSeconds : Math.max(Date.now() - wallStart, 1) / 1000;
  return { name, value: Math.round((n * perOp) / seconds), unit: 'msg/s' };
}

export async function benchParser(ms = 2000): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push(measure('parse REGISTER', ms, () => parseMessage(REGISTER)));
  out.push(measure('parse INVITE+SDP', ms, () => parseMessage(INVITE)));
  out.push(measure('parse 200 OK', ms, () => parseMessage(OK200)));
  out.push(measure('parse+serialize INVITE+SDP', ms, () => serialize(parseMessage(INVITE))));
  out.push(
    measure('parse+topVia+CSeq 200 OK', ms, () => {
      const m = parseMessage(OK200);
      topVia(m);
      cseqOf(m);
    }),
  );
  const batch = Buffer.concat(Array.from({ length: 20 }, (_, k) => (k % 2 ? REGISTER : INVITE)));
  const framer = new StreamFramer(undefined, () => {}, (e) => { throw e; });
  out.push(measure('TCP framer, 20 msgs per chunk', ms, () => framer.push(batch), 20));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void benchParser().then((results) => {
    console.table(results.map((r) => ({ benchmark: r.name, [r.unit]: r.value.toLocaleString('en-US') })));
  });
}
