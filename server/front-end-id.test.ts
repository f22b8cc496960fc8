import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frontEndId } from './front-end-id';

test('the Front End id is made once and kept in the data dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocs-feid-'));
  try {
    const first = frontEndId(dir);
    assert.match(first, /^[a-z0-9]{10}$/);
    assert.equal(frontEndId(dir), first);
    const other = mkdtempSync(join(tmpdir(), 'ocs-feid-'));
    assert.notEqual(frontEndId(other), first);
    rmSync(other, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured id is used as given, and a malformed one refused', () => {
  assert.equal(frontEndId('/nonexistent', 'fe01'), 'fe01');
  assert.throws(() => frontEndId('/nonexistent', 'Fe-01'), /OCS_FRONT_END_ID/);
});
