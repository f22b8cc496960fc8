/**
 * Writes a message back to bytes (RFC 3261 §7): start line, headers in order with their raw values,
 * exactly one Content-Length computed from the body (§20.14: mandatory on streams), CRLFs, body.
 */
import type { SipMessage } from './types';
import { formatUri } from './uri';

export function startLineOf(msg: SipMessage): string {
  return msg.kind === 'request'
    ? `${msg.method} ${formatUri(msg.uri)} ${msg.version}`
    : `${msg.version} ${msg.status} ${msg.reason}`;
}

export function serialize(msg: SipMessage): Buffer {
  let head = startLineOf(msg) + '\r\n';
  let wroteLength = false;
  for (const f of msg.headers.entries()) {
    if (f.name === 'Content-Length') {
      // The body decides; a stale or duplicate Content-Length would desynchronise a stream.
      if (wroteLength) continue;
      wroteLength = true;
      head += `Content-Length: ${msg.body.length}\r\n`;
      continue;
    }
    head += `${f.name}: ${f.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headLen);
  return out;
}
