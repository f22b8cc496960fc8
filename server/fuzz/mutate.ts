/**
 * Seeded mutations of SIP messages: byte flips with the characters SIP's grammar cares about, and
 * line-level edits (drop, duplicate, swap, fold, oversize a header, lie in Content-Length, splice
 * two messages, glue garbage after a whole message). Seeded (mulberry32) so a failure reproduces.
 */
export type Rng = () => number;

export function prng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: Rng, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
export const int = (rnd: Rng, n: number): number => Math.floor(rnd() * n);

/** NUL, TAB, LF, CR, SP, '"', '%', ',', ':', ';', '<', '>', '@', '[', '\\', ']', DEL, and UTF-8 lead/invalid bytes. */
const INTERESTING = [0, 9, 10, 13, 32, 34, 37, 44, 58, 59, 60, 62, 64, 91, 92, 93, 127, 0x80, 0xc3, 0xff];
const NUMBERS = ['0', '-1', '4294967296', '99999999999999999999', '2147483648', '1e3', '0x10', '', ' '];

function byteOp(b: Buffer, rnd: Rng): Buffer {
  const at = int(rnd, b.length + 1);
  const byte = rnd() < 0.7 ? pick(rnd, INTERESTING) : int(rnd, 256);
  switch (int(rnd, 4)) {
    case 0:
      if (at < b.length) b[at] = byte;
      return b;
    case 1:
      return Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
    case 2:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(rnd, 8))]);
    default:
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + int(rnd, 64)), b.subarray(at)]);
  }
}

function lineOp(b: Buffer, rnd: Rng, other: Buffer): Buffer {
  const text = b.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const body = headEnd < 0 ? '' : text.slice(headEnd + 4);
  const lines = head.split('\r\n');
  const i = 1 + int(rnd, Math.max(1, lines.length - 1));
  switch (int(rnd, 9)) {
    case 0: // drop a header
      lines.splice(i, 1);
      break;
    case 1: // duplicate one
      lines.splice(i, 0, lines[i] ?? 'X: y');
      break;
    case 2: // swap two
      [lines[i], lines[1]] = [lines[1] ?? '', lines[i] ?? ''];
      break;
    case 3: // fold it (RFC 3261 §7.3.1 LWS)
      lines[i] = (lines[i] ?? '').replace(/([,;:])/, '$1\r\n\t');
      break;
    case 4: // oversize a value
      lines[i] = `${lines[i] ?? 'X-Big:'}${'a'.repeat(pick(rnd, [100, 4_000, 17_000, 70_000]))}`;
      break;
    case 5: // a number field gets a strange number
      lines[i] = (lines[i] ?? '').replace(/\d+/, pick(rnd, NUMBERS));
      break;
    case 6: // Content-Length lies
      return Buffer.from(`${lines.filter((l) => !/^(content-length|l)\s*:/i.test(l)).join('\r\n')}\r\nContent-Length: ${pick(rnd, ['0', '1', '5', '300', '70000', '-5', 'x'])}\r\n\r\n${body}`, 'latin1');
    case 7: // splice the head of another message in
      return Buffer.concat([b.subarray(0, int(rnd, b.length)), other.subarray(int(rnd, other.length))]);
    default: // many headers
      lines.splice(i, 0, ...Array.from({ length: pick(rnd, [20, 130, 300]) }, (_, k) => `X-H${k}: ${k}`));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

/** One to four mutations of `src`; `other` feeds splices. */
export function mutate(src: Buffer, rnd: Rng, other: Buffer): Buffer {
  let b: Buffer = Buffer.from(src);
  const n = 1 + int(rnd, 4);
  for (let k = 0; k < n; k++) b = rnd() < 0.55 ? byteOp(b, rnd) : lineOp(b, rnd, other);
  if (rnd() < 0.05) b = Buffer.concat([b, Buffer.from(pick(rnd, ['\r\n', 'GARBAGE\r\n\r\n', '\0\0\0', 'SIP/2.0 200 OK\r\n\r\n']), 'latin1')]);
  return b;
}
