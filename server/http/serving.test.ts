import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { makeHarness, type Harness } from './testing/harness';

describe('health, client serving, security headers, upgrades', () => {
  let h: Harness;
  let dir: string;
  const INDEX = '<!doctype html><title>OCS Web</title><script type="module" src="/assets/app-1234.js"></script>';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocs-http-client-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    h = await makeHarness({ clientDir: dir, serveClient: true });
  });
  after(async () => {
    await h.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/healthz is 200 when ready and 503 when not, with the report as body', async () => {
    const ok = await h.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().ready, true);
    h.setHealth({ ready: false, listeners: { sip: false } });
    const down = await h.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(down.statusCode, 503);
    assert.deepEqual(down.json(), { ready: false, listeners: { sip: false } });
    h.setHealth({ ready: true });
  });

  test('serves index.html at / and for client routes (SPA fallback), never for API or /sip', async () => {
    for (const url of ['/', '/join/xyz', '/admin/users?x=1']) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.equal(res.body, INDEX);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
    for (const url of ['/api/unknown', '/sip', '/assets/missing.js', '/favicon.ico']) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    }
  });

  test('hashed assets are cached for a year', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /immutable/);
  });

  test('every response carries the security headers; CSP forbids inline script and allows same-host ws', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/', headers: { host: 'ocs.example.test:8443' } });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /connect-src 'self' ws:\/\/ocs\.example\.test:8443 wss:\/\/ocs\.example\.test:8443/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    const weird = await h.app.inject({ method: 'GET', url: '/', headers: { host: 'evil.test; script-src *' } });
    assert.doesNotMatch(String(weird.headers['content-security-policy']), /evil/);
  });

  test('fastify leaves WebSocket upgrades on /sip to whoever listens on the raw server', async () => {
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('sip') ? 'sip' : false) });
    let seenUrl = '';
    h.app.server.on('upgrade', (req, socket, head) => {
      seenUrl = req.url ?? '';
      wss.handleUpgrade(req, socket, head, (ws) => ws.send('hello'));
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    assert.ok(address && typeof address === 'object');
    const ws = new WebSocket(`ws://127.0.0.1:${address.port}/sip?access_token=abc`, 'sip');
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    assert.equal(first, 'hello');
    assert.equal(ws.protocol, 'sip');
    assert.equal(seenUrl, '/sip?access_token=abc');
    ws.close();
    wss.close();
  });
});

describe('without a built client', () => {
  test('every unknown path is a JSON 404', async () => {
    const h = await makeHarness({ clientDir: join(tmpdir(), 'ocs-no-such-client-dir'), serveClient: true });
    try {
      const res = await h.app.inject({ method: 'GET', url: '/join/xyz' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'NOT_FOUND');
      assert.ok(h.logLines.some((l) => l.includes('web client not built')));
    } finally {
      await h.app.close();
    }
  });
});
