import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { createResponse } from '../message/response';
import type { SipRequest } from '../message/types';
import { crlf, options, startLayer, until, type Harness } from './test-support';

/** A throw-away self-signed certificate for localhost / 127.0.0.1 (Debian's openssl). */
const dir = mkdtempSync(join(tmpdir(), 'sip-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
execFileSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
  '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  '-keyout', keyFile, '-out', certFile,
], { stdio: 'ignore' });
const cert = readFileSync(certFile);

const harnesses: Harness[] = [];
after(async () => {
  await Promise.all(harnesses.map((h) => h.layer.close()));
  rmSync(dir, { recursive: true, force: true });
});

test('SIP over TLS: inbound from a TLS client, outbound connect(TLS) verified against the CA', async () => {
  const server = await startLayer({}, { sipPort: undefined, sipTlsPort: 0, tlsCertFile: certFile, tlsKeyFile: keyFile });
  harnesses.push(server);
  const tlsPort = server.layer.addresses.tls!.port;
  assert.equal(server.layer.addresses.tcp, undefined);

  const socket = connect({ host: '127.0.0.1', port: tlsPort, ca: cert, servername: 'localhost' });
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (data += d));
  await new Promise<void>((r) => socket.once('secureConnect', () => r()));
  socket.write(options({ branch: 'z9hG4bKtls1', via: 'SIP/2.0/TLS client.invalid' }));
  socket.write(crlf('\r\n\r\n'));
  await until(() => server.received.length === 1 && data.includes('\r\n'), 'request and pong');
  const { message, flow } = server.received[0]!;
  assert.equal(flow.transport, 'TLS');
  flow.send(createResponse(message as SipRequest, 200, 'OK'));
  await until(() => data.includes('SIP/2.0 200 OK'), 'response over TLS');
  socket.destroy();

  const client = await startLayer({}, { sipPort: undefined, tlsClient: { ca: cert } });
  harnesses.push(client);
  const out = await client.layer.connect('TLS', { address: 'localhost', port: tlsPort });
  assert.equal(out.transport, 'TLS');
  assert.equal(out.inbound, false);
  out.send(createResponse(message as SipRequest, 200, 'OK'));
  await until(() => server.received.length === 2, 'message over the outbound TLS flow');

  const untrusting = await startLayer({}, { sipPort: undefined });
  harnesses.push(untrusting);
  await assert.rejects(untrusting.layer.connect('TLS', { address: 'localhost', port: tlsPort }), /self.signed|certificate/i);
});
