/**
 * Named errors of the transaction layer (mediasoup `errors.ts` style): small, typed, catchable by name.
 */

/** An operation that the RFC 3261 §17 state machine does not allow in the current state. */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** The flow of a transaction closed or refused a message (§8.1.3.1, §18.4). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}
