/** Typed storage errors. Each has a stable `code` so HTTP and CLI layers can map it to a response. */
import type { UserField } from '../../shared/users';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'USER_INVALID';
  constructor(
    readonly field: UserField,
    message: string,
  ) {
    super(message);
  }
}

export class DuplicateUserError extends Error {
  override readonly name = 'DuplicateUserError';
  readonly code = 'USER_EXISTS';
  constructor(readonly userName: string) {
    super(`user "${userName}" already exists`);
  }
}

export class UserNotFoundError extends Error {
  override readonly name = 'UserNotFoundError';
  readonly code = 'USER_NOT_FOUND';
  constructor(readonly userName: string) {
    super(`no user "${userName}"`);
  }
}

/** The write queue holds its maximum; the caller should shed load (e.g. SIP 503 + Retry-After). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  readonly code = 'DB_QUEUE_FULL';
  constructor(readonly limit: number) {
    super(`database write queue is full (${limit} operations waiting)`);
  }
}

export class QueueClosedError extends Error {
  override readonly name = 'QueueClosedError';
  readonly code = 'DB_QUEUE_CLOSED';
  constructor() {
    super('database write queue is closed');
  }
}

export { DbClosedError, TransactionEndedError } from './driver/types';
