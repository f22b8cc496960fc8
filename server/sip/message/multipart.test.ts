import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SipParseError } from './errors';
import { buildMultipart, contentTypeParams, parseMultipart } from './multipart';
import { parseMessage } from './parse';

test('build then parse: binary parts and extra headers survive', () => {
  const binary = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
  const { body, contentType } = buildMultipart(
    [
      { contentType: 'application/rlmi+xml;charset=UTF-8', headers: [['Content-ID', '<list@example.com>']], body: Buffer.from('<list/>') },
      { contentType: 'application/octet-stream', body: binary },
    ],
    'b0undary',
    { subtype: 'related', params: ';type="application/rlmi+xml";start="<list@example.com>"' },
  );
  assert.equal(contentType, 'multipart/related;boundary=b0undary;type="application/rlmi+xml";start="<list@example.com>"');
  assert.equal(contentTypeParams(contentType).get('start'), '<list@example.com>');
  const parts = parseMultipart(body, contentType);
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.contentType, 'application/rlmi+xml;charset=UTF-8');
  assert.equal(parts[0]!.headers.get('Content-ID'), '<list@example.com>');
  assert.equal(parts[0]!.body.toString(), '<list/>');
  assert.deepEqual(parts[1]!.body, binary);
});

test('preamble, quoted boundary, part without headers', () => {
  const body = Buffer.from('preamble text\r\n--"odd"\r\n\r\nplain\r\n--"odd"--\r\nepilogue'.replaceAll('"odd"', 'a=b'));
  const parts = parseMultipart(body, 'multipart/mixed; boundary="a=b"');
  assert.equal(parts.length, 1);
  assert.equal(parts[0]!.contentType, 'text/plain');
  assert.equal(parts[0]!.body.toString(), 'plain');
});

test('malformed multipart bodies raise 400', () => {
  assert.throws(() => parseMultipart(Buffer.from('x'), 'multipart/mixed'), SipParseError);
  assert.throws(() => parseMultipart(Buffer.from('no delimiter'), 'multipart/mixed;boundary=zz'), SipParseError);
  assert.throws(() => parseMultipart(Buffer.from('--zz\r\nContent-Type: a/b\r\n\r\nnever closed'), 'multipart/mixed;boundary=zz'), SipParseError);
});

const mpart = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'rfc4475', 'mpart01.sip');
test('RFC 4475 mpart01: text part and binary S/MIME part', { skip: existsSync(mpart) ? false : 'RFC 4475 corpus absent' }, () => {
  const raw = Buffer.from(readFileSync(mpart).toString('latin1').replaceAll(/\{\{\w+\}\}/g, 'x'), 'latin1');
  const m = parseMessage(raw);
  const parts = parseMultipart(m.body, m.headers.get('Content-Type')!);
  assert.deepEqual(parts.map((p) => p.contentType), ['text/plain', 'application/octet-stream']);
  assert.equal(parts[0]!.body.toString(), 'Hello');
  assert.equal(parts[1]!.body[0], 0x30, 'DER SEQUENCE');
});
