/**
 * IM (issue 5): policy for MESSAGE (RFC 3428) and typing indications (RFC 3994) in front of the
 * router, which delivers to every endpoint of the recipient. Wire forms: docs/protocol.md "IM".
 */
export { imService } from './install';
export { DEFAULT_IM_POLICY, ImPolicy, IS_COMPOSING_TYPE, OFFLINE_GRUU_REASON, OFFLINE_REASON, type ImPolicyDeps, type ImPolicyOptions } from './policy';
export { TokenBuckets, type RateLimit } from './rate';
export { SENT_TO_HEADER, SentCopies } from './sent-copies';
