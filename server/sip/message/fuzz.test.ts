/**
 * Bounded, seeded mutation fuzzing: whatever the bytes, the parser and the framer either succeed or
 * throw SipParseError, and they finish. Seeded so a failure reproduces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from './errors';
import { parseMessage } from './parse';
import { serialize } from './serialize';
import { StreamFramer } from './framer';
import { errorResponseFor } from './response';
import { VALID } from './corpus/valid';
import {
  allVias, contactsOf, expiresOf, optionTags, recordRoutesOf, routesOf,
} from './accessors';
// The seeded generator of the long fuzzer (mulberry32), so both reproduce from a seed the same way.
import { prng } from '../../fuzz/mutate';


const INTERESTING = [0, 9, 10, 13, 32, 34, 37, 44, 58, 59, 60, 62, 64, 91, 92, 93, 0x80, 0xc3, 0xff];

function mutate(src: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(src);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * b.length);
    const op = Math.floor(rnd() * 5);
    const byte = rnd() < 0.6 ? INTERESTING[Math.floor(rnd() * INTERESTING.length)]! : Math.floor(rnd() * 256);
    if (op === 0) b[at] = byte;
    else if (op === 1) b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
    else if (op === 2) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else if (op === 3) b = b.subarray(0, at);
    else {
      const len = Math.floor(rnd() * 40);
      b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
    }
  }
  return b;
}

function touch(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
  }
}

test('random mutations of valid messages only ever raise SipParseError', () => {
  const rnd = prng(4475);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 6000; i++) {
    const src = VALID[i % VALID.length]!.raw;
    const raw = mutate(src, rnd);
    try {
      const m = parseMessage(raw);
      accepted++;
      // Lazily-read headers and the serializer must cope with whatever was accepted.
      for (const f of [() => routesOf(m), () => recordRoutesOf(m), () => expiresOf(m), () => optionTags(m, 'Require'), () => allVias(m), () => contactsOf(m)]) touch(f);
      const again = parseMessage(serialize(m));
      assert.equal(again.kind, m.kind);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw new Error(`seed 4475 case ${i}: ${String(e)}\n${raw.toString('latin1')}`);
      refused++;
      errorResponseFor(raw, e);
    }
  }
  assert.ok(accepted > 100 && refused > 100, `accepted ${accepted}, refused ${refused}`);
});

test('random chunkings of mutated streams never throw and stay bounded', () => {
  const rnd = prng(5626);
  for (let i = 0; i < 400; i++) {
    const stream = Buffer.concat(Array.from({ length: 3 }, () => mutate(VALID[Math.floor(rnd() * VALID.length)]!.raw, rnd)));
    const framer = new StreamFramer(undefined, () => {}, (e) => assert.ok(e instanceof SipParseError));
    let pos = 0;
    while (pos < stream.length && !framer.dead) {
      const len = 1 + Math.floor(rnd() * 200);
      framer.push(stream.subarray(pos, pos + len));
      pos += len;
      assert.ok(framer.buffered <= 65_535 + 200);
    }
  }
});
