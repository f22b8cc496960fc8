/**
 * A message that cannot be accepted. `status` is the SIP response a server sends when it can still
 * answer (it could read Via, From, To, Call-ID and CSeq); `fatal` means the byte stream cannot be
 * re-synchronised (a stream transport must close the connection).
 */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    readonly status: 400 | 413 | 414 | 416 | 505 | 513,
    readonly reason: string,
    readonly options: { fatal?: boolean } = {},
  ) {
    super(`${status} ${reason}`);
  }
}

/** A request-level failure that ends in a SIP response (drachtio/fastify style coded error). */
export class SipError extends Error {
  override readonly name = 'SipError';
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly headers: ReadonlyArray<[string, string]> = [],
  ) {
    super(`${status} ${reason}`);
  }
}
