/**
 * Loop detection (RFC 3261 §16.3 item 4, §16.6 step 8; RFC 5393). Our branch parameter carries a
 * hash of the fields that define "the same request" as it arrived here. When a request comes back
 * carrying a Via of ours whose hash equals the one we would compute now, it is a loop (482);
 * a different hash means the request was retargeted on its way round: a spiral, which is allowed.
 */
import { createHash } from 'node:crypto';
import { randomBytesPooled } from '../random';
import { allVias, callIdOf, cseqOf, formatUri, fromOf, optionTags, tagOf, toOf } from '../message/index';
import type { SipRequest } from '../message/types';

const MAGIC = 'z9hG4bK';

export function loopHash(req: SipRequest): string {
  const fields = `${formatUri(req.uri)}\0${tagOf(fromOf(req)) ?? ''}\0${tagOf(toOf(req)) ?? ''}\0${callIdOf(req)}\0${cseqOf(req).seq}\0${optionTags(req, 'Proxy-Require').join(',')}`;
  return createHash('sha1').update(fields).digest('hex').slice(0, 16);
}

/** A branch for a request we forward: magic cookie, our id, the loop hash, and randomness. */
export function proxyBranch(frontEnd: string, hash: string): string {
  return `${MAGIC}-${frontEnd}-${hash}-${randomBytesPooled(6).toString('hex')}`;
}

export function isOurBranch(branch: string | null | undefined, frontEnd: string): boolean {
  return typeof branch === 'string' && branch.startsWith(`${MAGIC}-${frontEnd}-`);
}

export function isLoop(req: SipRequest, frontEnd: string): boolean {
  const vias = allVias(req);
  let hash: string | undefined;
  for (const via of vias) {
    const branch = via.params.get('branch');
    if (!isOurBranch(branch, frontEnd)) continue;
    hash ??= loopHash(req);
    if (branch!.split('-')[2] === hash) return true;
  }
  return false;
}
