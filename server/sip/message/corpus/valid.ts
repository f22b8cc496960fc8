/**
 * Valid messages written from the RFC 3261 grammar (§25.1) and its known traps. Every one must
 * parse; `check` pins down how the trap was read.
 */
import { SDP, eq, request, standard, wire, type Fixture } from './wire';
import {
  allVias, callIdOf, contactsOf, cseqOf, expiresOf, fromOf, maxForwardsOf, optionTags, recordRoutesOf,
  routesOf, toOf, topVia,
} from '../accessors';

const ok = 'accept' as const;

export const VALID: Fixture[] = [
  {
    name: 'REGISTER with Expires and a Contact expires param',
    raw: request('REGISTER', 'sip:example.com', ['Contact: <sip:alice@192.0.2.4:5060;transport=tcp>;expires=3600', 'Expires: 7200']),
    expect: ok,
    check: (m) => {
      eq(expiresOf(m), 7200, 'Expires');
      eq(contactsOf(m)[0]!.params.get('expires'), '3600', 'contact expires');
      eq(contactsOf(m)[0]!.uri.params.get('transport'), 'tcp', 'transport');
    },
  },
  {
    name: 'INVITE with an SDP body',
    raw: request('INVITE', 'sip:bob@example.com', ['Contact: <sip:alice@192.0.2.10>', 'Content-Type: application/sdp'], SDP),
    expect: ok,
    check: (m) => eq(m.body.toString(), SDP, 'body'),
  },
  {
    name: '200 OK with Record-Route and Contact',
    raw: wire([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2d4790.1;received=192.0.2.1',
      'Via: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74bf9',
      'Record-Route: <sip:proxy.example.com;lr>',
      'From: Alice <sip:alice@example.com>;tag=9fxced76sl',
      'To: Bob <sip:bob@example.com>;tag=8321234356',
      'Call-ID: 3848276298220188511@client.example.com',
      'CSeq: 1 INVITE',
      'Contact: <sip:bob@192.0.2.4>',
      'Content-Length: 0',
    ]),
    expect: ok,
    check: (m) => {
      eq(m.kind === 'response' && [m.status, m.reason], [200, 'OK'], 'status');
      eq(allVias(m).length, 2, 'vias');
      eq(toOf(m).params.get('tag'), '8321234356', 'to tag');
      eq(recordRoutesOf(m)[0]!.uri.params.has('lr'), true, 'lr');
    },
  },
  {
    name: 'every compact header form',
    raw: wire([
      'SUBSCRIBE sip:bob@example.com SIP/2.0',
      'v: SIP/2.0/UDP client.example.com;branch=z9hG4bKcompact',
      'f: <sip:alice@example.com>;tag=1',
      't: <sip:bob@example.com>',
      'i: compact-1@example.com',
      'CSeq: 1 SUBSCRIBE',
      'm: <sip:alice@client.example.com>',
      'c: text/plain',
      'k: eventlist',
      's: hello',
      'e: gzip',
      'o: presence',
      'u: dialog',
      'r: <sip:carol@example.com>',
      'b: <sip:dave@example.com>',
      'x: 1800',
      'y: c2lnbmF0dXJl',
      'l: 0',
    ]),
    expect: ok,
    check: (m) => {
      eq(m.headers.entries().map((f) => f.name), [
        'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Type', 'Supported', 'Subject',
        'Content-Encoding', 'Event', 'Allow-Events', 'Refer-To', 'Referred-By', 'Session-Expires', 'Identity',
        'Content-Length',
      ], 'canonical names');
      eq(optionTags(m, 'Supported'), ['eventlist'], 'k');
    },
  },
  {
    name: 'several Vias on one line and on several lines',
    raw: wire([
      'OPTIONS sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/TCP a.example.com;branch=z9hG4bKa, SIP/2.0/TCP b.example.com;branch=z9hG4bKb',
      'Via: SIP/2.0/UDP c.example.com:5070;branch=z9hG4bKc',
      ...standard('OPTIONS').slice(1),
      'Content-Length: 0',
    ]),
    expect: ok,
    check: (m) => eq(allVias(m).map((v) => v.host), ['a.example.com', 'b.example.com', 'c.example.com'], 'hosts'),
  },
  {
    name: 'header names in any case',
    raw: wire([
      'OPTIONS sip:bob@example.com SIP/2.0',
      'vIA: SIP/2.0/TCP a.example.com;branch=z9hG4bKa',
      'FROM: <sip:alice@example.com>;tag=1',
      'to: <sip:bob@example.com>',
      'cALL-iD: mixed@case',
      'cseq: 1 OPTIONS',
      'MAX-FORWARDS: 70',
      'content-LENGTH: 0',
    ]),
    expect: ok,
    check: (m) => {
      eq(callIdOf(m), 'mixed@case', 'call-id');
      eq(m.headers.entries()[3]!.name, 'Call-ID', 'canonical');
    },
  },
  {
    name: 'folded header values (SP and HTAB continuations)',
    raw: wire([
      'OPTIONS sip:bob@example.com SIP/2.0',
      ...standard('OPTIONS'),
      'Subject: first part',
      '\tsecond part',
      '   third part',
      'Supported: timer,',
      ' 100rel',
      'Content-Length: 0',
    ]),
    expect: ok,
    check: (m) => {
      eq(m.headers.get('Subject'), 'first part second part third part', 'unfolded');
      eq(optionTags(m, 'Supported'), ['timer', '100rel'], 'list across folds');
    },
  },
  {
    name: 'IPv6 references in Request-URI and Via',
    raw: wire([
      'OPTIONS sip:[2001:db8::10]:5070 SIP/2.0',
      'Via: SIP/2.0/TCP [2001:db8::9]:5060;branch=z9hG4bKv6;received=2001:db8::9',
      ...standard('OPTIONS').slice(1),
      'Content-Length: 0',
    ]),
    expect: ok,
    check: (m) => {
      eq(m.kind === 'request' && [m.uri.host, m.uri.port], ['[2001:db8::10]', 5070], 'uri');
      eq([topVia(m).host, topVia(m).port, topVia(m).params.get('received')], ['[2001:db8::9]', 5060, '2001:db8::9'], 'via');
    },
  },
  {
    name: 'sips Request-URI',
    raw: request('OPTIONS', 'sips:bob@secure.example.com'),
    expect: ok,
    check: (m) => eq(m.kind === 'request' && m.uri.scheme, 'sips', 'scheme'),
  },
  {
    name: 'tel Request-URI kept opaque',
    raw: request('INVITE', 'tel:+1-201-555-0123;phone-context=example.com'),
    expect: ok,
    check: (m) => eq(m.kind === 'request' && [m.uri.scheme, m.uri.opaque], ['tel', '+1-201-555-0123;phone-context=example.com'], 'tel'),
  },
  {
    name: 'URI with user, password and port',
    raw: request('OPTIONS', 'sip:alice:secretword@example.com:5061;transport=tcp'),
    expect: ok,
    check: (m) => eq(m.kind === 'request' && [m.uri.user, m.uri.password, m.uri.port], ['alice', 'secretword', 5061], 'userinfo'),
  },
  {
    name: 'URI parameters: lr flag, maddr, user=phone, mixed-case names',
    raw: request('OPTIONS', 'sip:+12125551212@gw.example.com;user=phone;MADDR=239.255.255.1;ttl=15;Lr'),
    expect: ok,
    check: (m) => eq(m.kind === 'request' && [...m.uri.params], [['user', 'phone'], ['maddr', '239.255.255.1'], ['ttl', '15'], ['lr', null]], 'params'),
  },
  {
    name: 'REGISTER removing every binding with Contact *',
    raw: request('REGISTER', 'sip:example.com', ['Contact: *', 'Expires: 0']),
    expect: ok,
    check: (m) => eq([contactsOf(m).length, contactsOf(m)[0]!.wildcard, expiresOf(m)], [1, true, 0], 'wildcard'),
  },
  {
    name: 'Contact list with a comma inside a quoted display name',
    raw: request('REGISTER', 'sip:example.com', ['Contact: "Doe, John" <sip:john@a.example.com>;q=0.7, <sip:john@b.example.com>;q=0.1']),
    expect: ok,
    check: (m) => eq(contactsOf(m).map((c) => [c.displayName, c.uri.host, c.params.get('q')]), [['Doe, John', 'a.example.com', '0.7'], [undefined, 'b.example.com', '0.1']], 'contacts'),
  },
  {
    name: 'display name with escaped quote and backslash',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('From')), 'From: "The \\"Boss\\" \\\\ o/" <sip:boss@example.com>;tag=77', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(fromOf(m).displayName, 'The "Boss" \\ o/', 'display name'),
  },
  {
    name: 'UTF-8 display name survives',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('From')), 'From: "Zoë Ångström 山田" <sip:zoe@example.com>;tag=77', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(fromOf(m).displayName, 'Zoë Ångström 山田', 'display name'),
  },
  {
    name: 'token display name of several words, no LWS before <',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('To')), 'To: Bob  The Builder<sip:bob@example.com>', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(toOf(m).displayName, 'Bob  The Builder', 'display name'),
  },
  {
    name: 'response with an empty reason phrase',
    raw: wire(['SIP/2.0 180 ', ...standard('INVITE').filter((l) => !l.startsWith('Max')), 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(m.kind === 'response' && [m.status, m.reason], [180, ''], 'status'),
  },
  {
    name: 'response with an unknown code in a known class',
    raw: wire(['SIP/2.0 299 Something New', ...standard('INVITE'), 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(m.kind === 'response' && m.status, 299, 'status'),
  },
  {
    name: 'response 699',
    raw: wire(['SIP/2.0 699 Global Refusal', ...standard('INVITE'), 'Content-Length: 0']),
    expect: ok,
  },
  {
    name: 'leading CRLFs before the start line (§7.5)',
    raw: Buffer.concat([Buffer.from('\r\n\r\n\r\n'), request('OPTIONS', 'sip:bob@example.com')]),
    expect: ok,
  },
  {
    name: 'empty header value',
    raw: request('OPTIONS', 'sip:bob@example.com', ['Subject:', 'Organization: ']),
    expect: ok,
    check: (m) => eq([m.headers.get('Subject'), m.headers.get('Organization')], ['', ''], 'empty'),
  },
  {
    name: 'unknown header with every token character in its name',
    raw: request('OPTIONS', 'sip:bob@example.com', ["X-Odd.Name!%*_+`'~: a, b; c=\"d\""]),
    expect: ok,
    check: (m) => eq(m.headers.getAll("x-odd.name!%*_+`'~"), ['a, b; c="d"'], 'unknown headers are never split'),
  },
  { name: 'ACK', raw: request('ACK', 'sip:bob@192.0.2.4'), expect: ok },
  { name: 'CANCEL', raw: request('CANCEL', 'sip:bob@example.com'), expect: ok },
  {
    name: 'MESSAGE with a UTF-8 text body',
    raw: request('MESSAGE', 'sip:bob@example.com', ['Content-Type: text/plain;charset=UTF-8'], 'Grüße, 世界 👋'),
    expect: ok,
    check: (m) => eq(m.body.toString('utf8'), 'Grüße, 世界 👋', 'body'),
  },
  {
    name: 'SUBSCRIBE with Event and an Accept list',
    raw: request('SUBSCRIBE', 'sip:bob@example.com', ['Event: presence', 'Accept: application/pidf+xml, application/rlmi+xml,multipart/related', 'Expires: 3600']),
    expect: ok,
    check: (m) => eq(m.headers.getAll('Accept'), ['application/pidf+xml', 'application/rlmi+xml', 'multipart/related'], 'accept'),
  },
  {
    name: 'NOTIFY with Subscription-State parameters',
    raw: request('NOTIFY', 'sip:alice@192.0.2.10', ['Event: presence', 'Subscription-State: active;expires=599']),
    expect: ok,
  },
  {
    name: 'SIP over WebSocket style (RFC 7118): .invalid Via host, +sip.instance',
    raw: wire([
      'REGISTER sip:example.com SIP/2.0',
      'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks;rport',
      'Max-Forwards: 70',
      'From: <sip:alice@example.com>;tag=65bnmj.34asd',
      'To: <sip:alice@example.com>',
      'Call-ID: aiuy7k9njasd',
      'CSeq: 1 REGISTER',
      'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";expires=600',
      'Supported: path, outbound, gruu',
    ]),
    expect: ok,
    check: (m) => {
      eq([topVia(m).transport, topVia(m).params.get('rport')], ['WSS', null], 'via');
      eq(contactsOf(m)[0]!.params.get('+sip.instance'), '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"', 'instance');
      eq(m.headers.get('Content-Length'), '0', 'Content-Length added for the round trip');
    },
  },
  {
    name: 'Authorization with commas inside is one value',
    raw: request('REGISTER', 'sip:example.com', ['Authorization: Digest username="alice", realm="example.com", nonce="abc", uri="sip:example.com", response="0123456789abcdef0123456789abcdef"']),
    expect: ok,
    check: (m) => eq(m.headers.getAll('Authorization').length, 1, 'not split'),
  },
  {
    name: '401 with two WWW-Authenticate challenges',
    raw: wire([
      'SIP/2.0 401 Unauthorized',
      ...standard('REGISTER'),
      'WWW-Authenticate: Digest realm="example.com", nonce="n1", algorithm=MD5, qop="auth"',
      'WWW-Authenticate: Digest realm="example.com", nonce="n2", algorithm=SHA-256, qop="auth"',
      'Content-Length: 0',
    ]),
    expect: ok,
    check: (m) => eq(m.headers.getAll('WWW-Authenticate').length, 2, 'two challenges'),
  },
  {
    name: 'Max-Forwards 0 parses (the proxy answers 483)',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('Max')), 'Max-Forwards: 0', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(maxForwardsOf(m), 0, 'mf'),
  },
  {
    name: 'no Max-Forwards (RFC 2543 peers)',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('Max')), 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(maxForwardsOf(m), undefined, 'mf'),
  },
  {
    name: 'no Content-Length in a datagram: the body is the rest (§18.3)',
    raw: wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Type: text/plain'], 'hello'),
    expect: ok,
    check: (m) => eq(m.body.toString(), 'hello', 'body'),
  },
  {
    name: 'binary body with NUL and high bytes',
    raw: wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Type: application/octet-stream', 'Content-Length: 6'], Buffer.from([0, 255, 13, 10, 0x80, 0])),
    expect: ok,
    check: (m) => eq([...m.body], [0, 255, 13, 10, 0x80, 0], 'bytes'),
  },
  {
    name: 'extension method in lower case (methods are case-sensitive)',
    raw: request('foo', 'sip:bob@example.com'),
    expect: ok,
    check: (m) => eq([m.kind === 'request' && m.method, cseqOf(m).method], ['foo', 'foo'], 'method'),
  },
  {
    name: 'Route set with several entries',
    raw: request('BYE', 'sip:bob@192.0.2.4', ['Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>', 'Route: <sip:p3.example.com;lr>']),
    expect: ok,
    check: (m) => eq(routesOf(m).map((r) => r.uri.host), ['p1.example.com', 'p2.example.com', 'p3.example.com'], 'routes'),
  },
  {
    name: 'escaped characters in user and parameters',
    raw: request('OPTIONS', 'sip:j%40doe%20x@example.com;ot%68er=va%6Cue'),
    expect: ok,
    check: (m) => eq(m.kind === 'request' && [m.uri.user, m.uri.params.get('other')], ['j@doe x', 'va%6Cue'], 'escapes'),
  },
  {
    name: 'Via transport in lower case, rport flag, IPv4 maddr',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/tcp 192.0.2.1:5060;rport;branch=z9hG4bKx;maddr=224.2.0.1;ttl=16', ...standard('OPTIONS').slice(1), 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq([topVia(m).transport, topVia(m).port, [...topVia(m).params.keys()]], ['TCP', 5060, ['rport', 'branch', 'maddr', 'ttl']], 'via'),
  },
  {
    name: 'Warning with a comma inside its quoted text',
    raw: wire(['SIP/2.0 488 Not Acceptable Here', ...standard('INVITE'), 'Warning: 307 isi.edu "Session parameter, foo, not understood", 399 example.com "x"', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(m.headers.getAll('Warning').length, 2, 'warnings'),
  },
  {
    name: 'largest CSeq (2**31 - 1) and port 65535',
    raw: wire(['OPTIONS sip:bob@example.com:65535 SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('CSeq')), 'CSeq: 2147483647 OPTIONS', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(cseqOf(m).seq, 2147483647, 'cseq'),
  },
  {
    name: 'HTAB as whitespace around separators',
    raw: wire(['OPTIONS sip:bob@example.com SIP/2.0', 'Via:\tSIP/2.0/UDP\thost.example.com\t;\tbranch\t=\tz9hG4bKtab', ...standard('OPTIONS').slice(1), 'Content-Length:\t0']),
    expect: ok,
    check: (m) => eq(topVia(m).params.get('branch'), 'z9hG4bKtab', 'branch'),
  },
  {
    name: 'quoted parameter value holding ; and ,',
    raw: request('REGISTER', 'sip:example.com', ['Contact: <sip:a@b.example.com>;note="x;y, z";q=1']),
    expect: ok,
    check: (m) => eq([contactsOf(m).length, contactsOf(m)[0]!.params.get('note')], [1, '"x;y, z"'], 'note'),
  },
  {
    name: 'addr-spec From with parameters, To with tag',
    raw: wire(['BYE sip:bob@192.0.2.4 SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bKq', 'From: sip:alice@example.com;tag=a1', 'To: sip:bob@example.com ; tag = b2', 'Call-ID: c@h', 'CSeq: 2 BYE', 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq([fromOf(m).uri.user, fromOf(m).params.get('tag'), toOf(m).params.get('tag')], ['alice', 'a1', 'b2'], 'tags'),
  },
  {
    name: 'lower-case SIP version is accepted and normalised',
    raw: wire(['OPTIONS sip:bob@example.com sip/2.0', ...standard('OPTIONS'), 'Content-Length: 0']),
    expect: ok,
    check: (m) => eq(m.version, 'SIP/2.0', 'version'),
  },
  {
    name: 'extra body bytes in a datagram are cut at Content-Length',
    raw: wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Type: text/plain', 'Content-Length: 2'], 'hi and more'),
    expect: ok,
    check: (m) => eq(m.body.toString(), 'hi', 'body'),
  },
];
