/**
 * Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): the header block ends at the first
 * empty line, the body is exactly Content-Length octets (mandatory on streams). CRLFs between
 * messages are skipped (§7.5); a double CRLF is an RFC 5626 §4.4.1 keep-alive ping, answered by the
 * transport with a single CRLF pong. Buffering is bounded by the parser limits; a stream that can no
 * longer be framed (bad or missing Content-Length, oversized head or body) is reported as fatal and
 * the framer stops.
 */
import { DEFAULT_PARSER_LIMITS, type ParserLimits, type SipMessage } from './types';
import { SipParseError } from './errors';
import { TOKEN, bad, inTable, parseDigits } from './charset';
import { buildMessage, scanHead, type Head } from './parse';

/** What is known of a message that failed: its bytes (the head at least), for `errorResponseFor`. */
export interface PartialInfo {
  raw: Buffer;
}

const CR = 13;
const LF = 10;
const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1');

type State = 'idle' | 'head' | 'body' | 'dead';

const EMPTY = Buffer.alloc(0);
/** Between messages a larger buffer is released, so idle connections hold no memory. */
const KEEP_BYTES = 16_384;

export class StreamFramer {
  /** Our own buffer, or the caller's chunk while it is being drained (`borrowed`, zero-copy). */
  private buf: Buffer = EMPTY;
  private borrowed = false;
  private start = 0;
  private end = 0;
  private state: State = 'idle';
  /** CRLFs seen between messages (two make a keep-alive ping). */
  private crlfRun = 0;
  private pendingCR = false;
  /** Where the next search for the empty line resumes. */
  private scanFrom = 0;
  private head: Head | undefined;
  private frameLen = 0;
  private paused = false;

  constructor(
    private readonly limits: ParserLimits = DEFAULT_PARSER_LIMITS,
    private readonly onMessage: (msg: SipMessage, raw: Buffer) => void,
    private readonly onError: (err: SipParseError, partial?: PartialInfo) => void,
    /** RFC 5626 ping ("\r\n\r\n") received between messages: the transport answers "\r\n". */
    public onKeepAlive?: () => void,
  ) {}

  /** Bytes held for a message not yet complete (0 between messages). */
  get buffered(): number {
    return this.end - this.start;
  }

  /** A message has started but not finished (the transport's assembly timer runs meanwhile). */
  get inMessage(): boolean {
    return this.state === 'head' || this.state === 'body';
  }

  /**
   * Stops delivering messages, also in the middle of a chunk: the rest stays buffered (the
   * transport stops reading meanwhile, so this is bounded by one socket read) until resume().
   */
  pause(): void {
    this.paused = true;
  }

  /** Delivers what was held back, then goes on with later chunks. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.state === 'dead' || this.start === this.end) return;
    this.drainAndSettle();
  }

  /** True after a fatal error: the stream cannot be re-synchronised and must be closed. */
  get dead(): boolean {
    return this.state === 'dead';
  }

  push(chunk: Buffer): void {
    if (this.state === 'dead' || chunk.length === 0) return;
    if (this.start === this.end) {
      // Nothing pending (always the idle state): read the chunk in place.
      this.buf = chunk;
      this.borrowed = true;
      this.start = 0;
      this.end = chunk.length;
    } else {
      this.append(chunk);
    }
    if (this.paused) return this.settle();
    this.drainAndSettle();
  }

  /** Frames what is buffered, keeps the rest, then rethrows a callback's exception. */
  private drainAndSettle(): void {
    let failure: unknown;
    try {
      this.drain();
    } catch (e) {
      failure = e;
    }
    this.settle();
    if (failure !== undefined) throw failure;
  }

  /** After a drain: keep only the unread bytes, in a buffer of our own. */
  private settle(): void {
    const live = this.end - this.start;
    if (live === 0) {
      if (this.borrowed || this.buf.length > KEEP_BYTES) this.buf = EMPTY;
      this.borrowed = false;
      this.scanFrom = 0;
      this.start = this.end = 0;
      return;
    }
    if (this.borrowed) {
      const own = Buffer.allocUnsafe(Math.max(4096, live * 2));
      this.buf.copy(own, 0, this.start, this.end);
      this.buf = own;
      this.borrowed = false;
      this.scanFrom -= this.start;
      this.start = 0;
      this.end = live;
    }
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.buf.length && this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(Math.max(live + chunk.length, this.buf.length * 2, 4096));
        this.buf.copy(grown, 0, this.start, this.end);
        this.buf = grown;
      }
      this.scanFrom -= this.start;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  private fatal(err: SipParseError, raw?: Buffer): void {
    this.state = 'dead';
    this.head = undefined;
    const e = err.options.fatal ? err : new SipParseError(err.status, err.reason, { fatal: true });
    this.onError(e, raw === undefined ? undefined : { raw });
  }

  /** Frames every complete message; a callback's exception is rethrown after the rest is framed. */
  private drain(): void {
    let failure: unknown;
    while (this.state !== 'dead' && !this.paused) {
      const before = this.start;
      const stateBefore = this.state;
      try {
        if (this.state === 'idle' && !this.skipBetweenMessages()) break;
        if (this.state === 'head' && !this.readHead()) break;
        if (this.state === 'body' && !this.readBody()) break;
      } catch (e) {
        failure ??= e;
        // An exception that made no progress would repeat forever: stop the stream instead.
        if (this.start === before && this.state === stateBefore) this.state = 'dead';
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Skips CRLFs before a start line (§7.5); returns true when a message begins. */
  private skipBetweenMessages(): boolean {
    while (this.start < this.end) {
      const b = this.buf[this.start]!;
      if (this.pendingCR) {
        if (b !== LF) {
          this.fatal(bad('bare CR between messages'));
          return false;
        }
        this.pendingCR = false;
        this.start++;
        if (++this.crlfRun === 2) {
          this.crlfRun = 0;
          this.onKeepAlive?.();
        }
        continue;
      }
      if (b === CR) {
        this.pendingCR = true;
        this.start++;
        continue;
      }
      if (b === LF) {
        this.fatal(bad('bare LF between messages'));
        return false;
      }
      // A start line begins with a method token or "SIP/"; anything else means the stream lost sync.
      if (!inTable(TOKEN, b)) {
        this.fatal(bad('garbage between messages'));
        return false;
      }
      this.crlfRun = 0;
      this.state = 'head';
      this.scanFrom = this.start;
      return true;
    }
    return false;
  }

  private readHead(): boolean {
    const idx = this.buf.subarray(0, this.end).indexOf(END_OF_HEAD, this.scanFrom);
    const max = this.limits.maxHeaderBytes;
    if (idx < 0 || idx + 4 - this.start > max) {
      if (this.end - this.start > max) {
        this.fatal(new SipParseError(513, 'Message Too Large (header block)'), this.copy(this.start, this.start + max));
        return false;
      }
      this.scanFrom = Math.max(this.start, this.end - 3);
      return false;
    }
    const headLen = idx + 4 - this.start;
    const headBytes = this.buf.subarray(this.start, this.start + headLen);
    let head: Head;
    try {
      head = scanHead(headBytes, this.limits);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.fatal(e, Buffer.from(headBytes));
      return false;
    }
    const lengths = head.headers.getLines('Content-Length');
    let problem: SipParseError | undefined;
    let bodyLen = 0;
    if (lengths.length === 0) problem = bad('missing Content-Length on a stream');
    else if (lengths.length > 1) problem = bad('multiple Content-Length header fields');
    else {
      const n = parseDigits(lengths[0]!.trim(), Number.MAX_SAFE_INTEGER);
      if (n === undefined) problem = bad('malformed Content-Length');
      else if (n > this.limits.maxBodyBytes) problem = new SipParseError(413, 'Request Entity Too Large');
      else if (headLen + n > this.limits.maxMessageBytes) problem = new SipParseError(513, 'Message Too Large (message)');
      else bodyLen = n;
    }
    if (problem !== undefined) {
      this.fatal(problem, Buffer.from(headBytes));
      return false;
    }
    this.head = head;
    this.frameLen = headLen + bodyLen;
    this.state = 'body';
    return true;
  }

  private readBody(): boolean {
    if (this.end - this.start < this.frameLen) return false;
    const frame = this.copy(this.start, this.start + this.frameLen);
    const head = this.head!;
    this.start += this.frameLen;
    this.head = undefined;
    this.state = 'idle';
    let msg: SipMessage;
    try {
      msg = buildMessage(head, frame, this.limits, 'stream');
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      // The frame was cut by a valid Content-Length: the stream stays in sync.
      this.onError(e, { raw: frame });
      return true;
    }
    this.onMessage(msg, frame);
    return true;
  }

  private copy(from: number, to: number): Buffer {
    return Buffer.from(this.buf.subarray(from, Math.min(to, this.end)));
  }
}
