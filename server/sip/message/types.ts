/**
 * The SIP message model (RFC 3261 §7, §20, §25). This file is the contract between the layers of
 * `server/sip/`: the parser produces these objects, the transports carry them, the transaction and
 * proxy layers read and edit them, the serializer writes them back.
 *
 * Header values are kept as raw strings (lazily parsed, see `accessors.ts`) so that a proxy forwards
 * what it did not need to understand byte-for-byte.
 */

/** Parameters of a URI, Via or name-addr: names lower-cased, `null` for a flag (`;lr`). */
export type Params = Map<string, string | null>;

export interface SipUri {
  /** Lower-cased: `sip`, `sips`, `tel`, or another absolute URI scheme kept opaque. */
  scheme: string;
  /** Unescaped user part (`%41` -> `A`); undefined where the URI has none. */
  user?: string;
  password?: string;
  /** Host as written, lower-cased; IPv6 references keep their brackets (`[::1]`). */
  host: string;
  port?: number;
  params: Params;
  /** `?name=value&...` URI headers, unescaped. */
  headers: Map<string, string>;
  /** For schemes other than sip/sips: everything after `scheme:` as written. */
  opaque?: string;
}

/** `"Display" <uri>;params` or `uri;params` (From, To, Contact, Route, Record-Route, ...). */
export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  params: Params;
  /** Contact: `*` */
  wildcard?: boolean;
}

export interface ViaHeader {
  /** `SIP/2.0` */
  protocol: string;
  /** Upper-cased: UDP, TCP, TLS, WS, WSS, SCTP, ... */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** One header line as it appeared (name canonicalised from compact/any case). */
export interface HeaderField {
  name: string;
  value: string;
}

interface MessageBase {
  /** `SIP/2.0` */
  version: string;
  headers: import('./headers').SipHeaders;
  body: Buffer;
}

export interface SipRequest extends MessageBase {
  kind: 'request';
  /** Case-sensitive token as received (RFC 3261 §7.1: methods are case-sensitive). */
  method: string;
  uri: SipUri;
}

export interface SipResponse extends MessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Explicit bounds applied by the parser; violations raise `SipParseError`. */
export interface ParserLimits {
  /** Whole message, start line + headers + body (bytes). Over it: 413 (body) or 513 (message). */
  maxMessageBytes: number;
  /** Start line + header block (bytes). Over it: 513 Message Too Large. */
  maxHeaderBytes: number;
  maxHeaderCount: number;
  /** One (unfolded) header line. */
  maxHeaderLineBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxMessageBytes: 65_535,
  maxHeaderBytes: 16_384,
  maxHeaderCount: 128,
  maxHeaderLineBytes: 4_096,
  maxBodyBytes: 49_152,
};
