/**
 * A refused conferencing command: a C3P reason code and a sentence for the user saying why. The
 * INFO carrying the command is still answered 200, with a `code="failure"` C3P response (OCS did
 * the same); a request that is not C3P at all gets a SIP error instead.
 */
import type { C3pErrorCode } from '../../../shared/conferencing/c3p';

export class C3pError extends Error {
  override readonly name = 'C3pError';
  constructor(
    readonly code: C3pErrorCode,
    message: string,
  ) {
    super(message);
  }
}
