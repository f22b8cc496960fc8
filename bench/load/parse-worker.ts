/** The worker of bench/cores.bench.ts: parses what it is sent and sends back start line and headers as plain data. */
import { parentPort } from 'node:worker_threads';
import { parseMessage } from '../../server/sip/message/index';

const NEEDED = ['via', 'from', 'to', 'call-id', 'cseq', 'contact', 'authorization', 'expires'];

parentPort!.on('message', (m: { id: number; buf: Uint8Array }) => {
  const msg = parseMessage(Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength));
  const headers = NEEDED.map((name) => [name, msg.headers.get(name)]);
  parentPort!.postMessage({ id: m.id, method: 'method' in msg ? msg.method : '', headers });
});
parentPort!.postMessage('ready');
