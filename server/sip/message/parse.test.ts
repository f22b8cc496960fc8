import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARSER_LIMITS } from './types';
import { SipParseError } from './errors';
import { parseMessage } from './parse';
import { VALID } from './corpus/valid';
import { INVALID } from './corpus/invalid';
import type { Fixture } from './corpus/wire';

function run(f: Fixture) {
  return parseMessage(f.raw, { ...DEFAULT_PARSER_LIMITS, ...f.limits });
}

describe('own corpus: valid messages', () => {
  test('has at least 40 fixtures', () => assert.ok(VALID.length >= 40, String(VALID.length)));
  for (const f of VALID) {
    test(f.name, () => {
      const m = run(f);
      f.check?.(m);
    });
  }
});

describe('own corpus: invalid messages', () => {
  test('has at least 30 fixtures', () => assert.ok(INVALID.length >= 30, String(INVALID.length)));
  for (const f of INVALID) {
    test(f.name, () => {
      assert.notEqual(f.expect, 'accept');
      const expect = f.expect as Exclude<Fixture['expect'], 'accept'>;
      assert.throws(
        () => run(f),
        (e: unknown) => {
          assert.ok(e instanceof SipParseError, `not a SipParseError: ${String(e)}`);
          assert.equal(e.status, expect.status, e.message);
          assert.match(e.reason, expect.reason);
          return true;
        },
      );
    });
  }
});

test('body is a view of the datagram, not a copy, and keeps binary bytes', () => {
  const f = VALID.find((x) => x.name.startsWith('binary body'))!;
  const m = parseMessage(f.raw);
  assert.equal(m.body.buffer, f.raw.buffer);
});
