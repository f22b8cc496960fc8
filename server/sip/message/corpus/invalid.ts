/**
 * Invalid messages written from the RFC 3261 grammar (§25.1) and its known traps, with the status
 * the parser must raise and a pattern of the fault its reason phrase names.
 */
import { request, standard, wire, type Fixture } from './wire';

const without = (name: string, method = 'OPTIONS') => standard(method).filter((l) => !l.startsWith(name));
const opts = (...lines: string[]) => wire(['OPTIONS sip:bob@example.com SIP/2.0', ...lines, 'Content-Length: 0']);
const e400 = (reason: RegExp) => ({ status: 400 as const, reason });

export const INVALID: Fixture[] = [
  { name: 'missing Via', raw: opts(...without('Via')), expect: e400(/missing Via/) },
  { name: 'missing CSeq', raw: opts(...without('CSeq')), expect: e400(/missing CSeq/) },
  { name: 'missing Call-ID', raw: opts(...without('Call-ID')), expect: e400(/missing Call-ID/) },
  { name: 'missing From and To named together', raw: opts(...without('From').filter((l) => !l.startsWith('To'))), expect: e400(/missing From, To/) },
  { name: 'two To header fields', raw: opts(...standard('OPTIONS'), 'To: <sip:carol@example.com>'), expect: e400(/multiple To/) },
  { name: 'CSeq not a number', raw: opts(...without('CSeq'), 'CSeq: abc OPTIONS'), expect: e400(/CSeq/) },
  { name: 'CSeq without a method', raw: opts(...without('CSeq'), 'CSeq: 1'), expect: e400(/CSeq/) },
  { name: 'CSeq of 2**31', raw: opts(...without('CSeq'), 'CSeq: 2147483648 OPTIONS'), expect: e400(/CSeq number out of range/) },
  { name: 'Max-Forwards not a number', raw: opts(...without('Max'), 'Max-Forwards: ten'), expect: e400(/Max-Forwards/) },
  { name: 'Max-Forwards over 255', raw: opts(...without('Max'), 'Max-Forwards: 256'), expect: e400(/Max-Forwards/) },
  {
    name: 'Content-Length with a letter',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS'), 'Content-Length: 12a']),
    expect: e400(/Content-Length/),
  },
  {
    name: 'Content-Length larger than the datagram body',
    raw: wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Length: 50'], 'short'),
    expect: e400(/Content-Length larger than body/),
  },
  { name: 'Request-Line with two elements', raw: wire(['OPTIONS sip:bob@example.com', ...standard('OPTIONS')]), expect: e400(/Request-Line/) },
  { name: 'Request-Line separated by HTAB', raw: wire(['OPTIONS\tsip:bob@example.com\tSIP/2.0', ...standard('OPTIONS')]), expect: e400(/Request-Line|method/) },
  { name: 'method with a non-token character', raw: wire(['OPT@IONS sip:bob@example.com SIP/2.0', ...standard('OPT@IONS')]), expect: e400(/method/) },
  { name: 'Request-URI without a scheme', raw: request('OPTIONS', 'bob@example.com'), expect: e400(/URI/) },
  { name: 'Request-URI with a broken escape', raw: request('OPTIONS', 'sip:b%zzob@example.com'), expect: e400(/escape/) },
  { name: 'Request-URI with no host', raw: request('OPTIONS', 'sip:bob@'), expect: e400(/host/) },
  { name: 'Request-URI port above 65535', raw: request('OPTIONS', 'sip:bob@example.com:70000'), expect: e400(/port/) },
  { name: 'HTTP request', raw: wire(['GET / HTTP/1.1', 'Host: example.com']), expect: e400(/SIP-Version/) },
  { name: 'SIP/3.0 request', raw: wire(['OPTIONS sip:bob@example.com SIP/3.0', ...standard('OPTIONS')]), expect: { status: 505, reason: /Version Not Supported/ } },
  { name: 'two-digit status code', raw: wire(['SIP/2.0 20 OK', ...standard('INVITE')]), expect: e400(/Status-Code/) },
  { name: 'status code 700', raw: wire(['SIP/2.0 700 Beyond', ...standard('INVITE')]), expect: e400(/Status-Code out of range/) },
  { name: 'status code 099', raw: wire(['SIP/2.0 099 Early', ...standard('INVITE')]), expect: e400(/Status-Code out of range/) },
  { name: 'header line without a colon', raw: opts(...standard('OPTIONS'), 'Subject hello'), expect: e400(/malformed header line/) },
  { name: 'space inside a header name', raw: opts(...standard('OPTIONS'), 'Call ID: x'), expect: e400(/malformed header line/) },
  { name: 'continuation line right after the start line', raw: opts(' folded: start', ...standard('OPTIONS')), expect: e400(/folded line/) },
  {
    name: 'bare LF line ends',
    raw: Buffer.from(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS'), 'Content-Length: 0', '', ''].join('\n')),
    expect: e400(/bare CR or LF/),
  },
  {
    name: 'no empty line after the headers',
    raw: Buffer.from(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS'), ''].join('\r\n')),
    expect: e400(/no empty line/),
  },
  { name: 'Via without sent-by', raw: opts(...without('Via'), 'Via: SIP/2.0/UDP'), expect: e400(/Via/) },
  { name: 'Via port above 65535', raw: opts(...without('Via'), 'Via: SIP/2.0/UDP h.example.com:99999;branch=z9hG4bKp'), expect: e400(/Via port/) },
  { name: 'Via list with an empty element', raw: opts(...without('Via'), 'Via: SIP/2.0/UDP a;branch=z9hG4bK1,,SIP/2.0/UDP b;branch=z9hG4bK2'), expect: e400(/empty element in Via/) },
  { name: 'From with an unterminated <', raw: opts(...without('From'), 'From: Alice <sip:alice@example.com;tag=1'), expect: e400(/unterminated <URI>/) },
  { name: 'quoted display name without <URI>', raw: opts(...without('From'), 'From: "Alice" sip:alice@example.com;tag=1'), expect: e400(/expected <URI>/) },
  { name: 'Contact with empty parameters', raw: opts(...standard('OPTIONS'), 'Contact: <sip:a@b.example.com>;;q=1'), expect: e400(/empty parameter/) },
  { name: 'Call-ID with a space inside', raw: opts(...without('Call-ID'), 'Call-ID: abc def'), expect: e400(/Call-ID/) },
  { name: 'NUL in the Request-Line', raw: request('OPTIONS', 'sip:bob@exa\0mple.com'), expect: e400(/control character|URI/) },
  {
    name: 'invalid UTF-8 in a header value',
    raw: Buffer.concat([Buffer.from('OPTIONS sip:bob@example.com SIP/2.0\r\n' + standard('OPTIONS').join('\r\n') + '\r\nSubject: caf'), Buffer.from([0xe9]), Buffer.from('\r\nContent-Length: 0\r\n\r\n')]),
    expect: e400(/invalid UTF-8/),
  },
  {
    name: 'header block over maxHeaderBytes',
    raw: opts(...standard('OPTIONS'), `X-Padding: ${'p'.repeat(600)}`),
    limits: { maxHeaderBytes: 512 },
    expect: { status: 513, reason: /Message Too Large \(header block\)/ },
  },
  {
    name: 'more header fields than maxHeaderCount',
    raw: opts(...standard('OPTIONS'), ...Array.from({ length: 10 }, (_, k) => `X-H${k}: ${k}`)),
    limits: { maxHeaderCount: 12 },
    expect: { status: 513, reason: /too many header fields/ },
  },
  {
    name: 'one header line over maxHeaderLineBytes',
    raw: opts(...standard('OPTIONS'), `Subject: ${'s'.repeat(300)}`),
    limits: { maxHeaderLineBytes: 256 },
    expect: e400(/header line too long: Subject/),
  },
  {
    name: 'body over maxBodyBytes',
    raw: wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Length: 2000'], 'b'.repeat(2000)),
    limits: { maxBodyBytes: 1024 },
    expect: { status: 413, reason: /Request Entity Too Large/ },
  },
  {
    name: 'Request-URI longer than the line limit',
    raw: request('OPTIONS', `sip:${'u'.repeat(400)}@example.com`),
    limits: { maxHeaderLineBytes: 256 },
    expect: { status: 414, reason: /Request-URI Too Long/ },
  },
  {
    name: 'URI with headers outside <> in Contact',
    raw: opts(...standard('OPTIONS'), 'Contact: sip:a@b.example.com?Subject=x'),
    expect: e400(/not enclosed in <>/),
  },
];
