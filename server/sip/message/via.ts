/**
 * Via (RFC 3261 §20.42, grammar §25.1):
 *   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport;  SLASH = SWS "/" SWS
 * LWS may surround every separator (RFC 4475 wsinv).
 */
import type { ViaHeader } from './types';
import { HOSTCHAR, TOKEN, bad, inTable, isDigit, isWsp, skipWsp } from './charset';
import { formatParams, parseParams } from './nameaddr';

function token(s: string, i: number, what: string): [string, number] {
  const st = i;
  while (i < s.length && inTable(TOKEN, s.charCodeAt(i))) i++;
  if (i === st) throw bad(`malformed Via ${what}`);
  return [s.slice(st, i), i];
}

function slash(s: string, i: number): number {
  i = skipWsp(s, i);
  if (s.charCodeAt(i) !== 47) throw bad('malformed Via sent-protocol');
  return skipWsp(s, i + 1);
}

/** Parses one via-parm (one element of a possibly comma-separated Via line). */
export function parseVia(text: string): ViaHeader {
  const s = text;
  let i = skipWsp(s, 0);
  let name: string, version: string, transport: string;
  [name, i] = token(s, i, 'protocol');
  i = slash(s, i);
  [version, i] = token(s, i, 'version');
  i = slash(s, i);
  [transport, i] = token(s, i, 'transport');
  if (!isWsp(s.charCodeAt(i))) throw bad('malformed Via: missing sent-by');
  i = skipWsp(s, i);
  const hs = i;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0) throw bad('malformed Via IPv6 reference');
    i = close + 1;
  } else {
    while (i < s.length && inTable(HOSTCHAR, s.charCodeAt(i))) i++;
  }
  if (i === hs) throw bad('malformed Via: missing sent-by host');
  const via: ViaHeader = {
    protocol: `${name.toUpperCase()}/${version}`,
    transport: transport.toUpperCase(),
    host: s.slice(hs, i).toLowerCase(),
    params: new Map(),
  };
  const afterHost = skipWsp(s, i);
  if (s.charCodeAt(afterHost) === 58) {
    i = skipWsp(s, afterHost + 1);
    const ps = i;
    let port = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      port = port * 10 + s.charCodeAt(i) - 48;
      if (port > 65535) throw bad('Via port out of range');
      i++;
    }
    if (i === ps) throw bad('malformed Via port');
    via.port = port;
  }
  parseParams(s, i, via.params, 'Via');
  return via;
}

export function formatVia(v: ViaHeader): string {
  const port = v.port === undefined ? '' : `:${v.port}`;
  return `${v.protocol}/${v.transport} ${v.host}${port}${formatParams(v.params)}`;
}

/** The branch parameter; RFC 3261 branches start with the magic cookie `z9hG4bK` (§8.1.1.7). */
export function branchOf(v: ViaHeader): string | undefined {
  const b = v.params.get('branch');
  return b === null ? undefined : b;
}
