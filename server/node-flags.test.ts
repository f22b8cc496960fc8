import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FRONT_END_NODE_FLAGS } from './node-flags';

test('npm start runs the Front End with FRONT_END_NODE_FLAGS', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const start = pkg.scripts.start!;
  assert.match(start, /node .*dist\/server\/main\.js/); // the production build, run by plain node
  for (const flag of FRONT_END_NODE_FLAGS) assert.ok(start.includes(flag), `npm start lacks ${flag}: ${start}`);
});
