import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinRouteId } from './routes';
import { joinPath } from '../../../shared/conferencing/uri';

test('join links: /join/<conference id> and nothing else', () => {
  assert.equal(joinRouteId(joinPath('0a1b2c3d4e5f6071')), '0a1b2c3d4e5f6071');
  assert.equal(joinRouteId('/join/0a1b2c3d4e5f6071/'), '0a1b2c3d4e5f6071');
  for (const p of ['/', '/join/', '/join/UPPER123', '/join/abc', '/join/0a1b2c3d/extra', '/joinx/0a1b2c3d4e5f']) assert.equal(joinRouteId(p), undefined, p);
});
