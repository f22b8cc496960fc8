/** What the person signing in reads when something goes wrong: one place, plain words. */
import { ApiError, ServerUnreachableError } from './api';

export const MESSAGES = {
  invalidCredentials: 'The user name or password is incorrect.',
  unreachable: "Can't reach the server. Check your network connection and try again.",
  missingFields: 'Enter your sign-in address and password.',
  sessionExpired: 'Your session has expired. Sign in again.',
  connectionLost: 'Connection lost — reconnecting…',
  signedOut: 'You have signed out.',
  unexpected: 'Something went wrong while signing in. Try again.',
} as const;

function minutes(sec: number): string {
  const m = Math.max(1, Math.ceil(sec / 60));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function signInErrorMessage(error: unknown): string {
  if (error instanceof ServerUnreachableError) return MESSAGES.unreachable;
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'INVALID_CREDENTIALS': return MESSAGES.invalidCredentials;
      case 'BAD_REQUEST': return MESSAGES.missingFields;
      case 'LOCKED_OUT':
        return `Too many failed sign-in attempts. Try again in ${minutes(error.retryAfterSec ?? 60)}.`;
      case 'NOT_READY': return MESSAGES.unreachable;
      default: return MESSAGES.unexpected;
    }
  }
  return MESSAGES.unexpected;
}
