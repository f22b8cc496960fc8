import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from './csv';
import { CsvHeaderError, parseUserCsv } from './import';

test('RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes, CRLF and LF', () => {
  const text = '\ufeffa,b,c\r\n"x, y","say ""hi""",z\r\n"multi\nline",,"end"\nlast,"",\n';
  const { records, problems } = parseCsv(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(records, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x, y', 'say "hi"', 'z'] },
    { line: 3, fields: ['multi\nline', '', 'end'] },
    { line: 5, fields: ['last', '', ''] },
  ]);
});

test('malformed records are reported with the line they start on and skipped', () => {
  const { records, problems } = parseCsv('a,b\nok,1\nbad"quote,2\n"closed"junk,3\n\nfine,4\n"never closed,5\nx,y\n');
  assert.deepEqual(records.map((r) => r.line), [1, 2, 6]);
  assert.deepEqual(problems.map((p) => p.line), [3, 4, 7]);
  assert.match(problems[0]!.message, /quote inside an unquoted field/);
  assert.match(problems[1]!.message, /after a closing quote/);
  assert.match(problems[2]!.message, /unterminated/);
});

test('user CSV: header columns in any order, optional columns, field-count errors', () => {
  const { inputs, errors } = parseUserCsv('phone,password,name\n+15550001,pw-123456,amy\n,pw-123456,ben\nonly,two\n');
  assert.deepEqual(inputs, [
    { line: 2, name: 'amy', password: 'pw-123456', phone: '+15550001' },
    { line: 3, name: 'ben', password: 'pw-123456' },
  ]);
  assert.deepEqual(errors, [{ line: 4, message: 'expected 3 fields, found 2' }]);
});

test('user CSV: a bad header is one clear error', () => {
  assert.throws(() => parseUserCsv(''), CsvHeaderError);
  assert.throws(() => parseUserCsv('name,pass\n'), /unknown column "pass"/);
  assert.throws(() => parseUserCsv('name,display_name\n'), /"name" and "password"/);
  assert.throws(() => parseUserCsv('name,password,name\n'), /appears twice/);
});
