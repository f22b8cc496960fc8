/**
 * The Conferencing Server Factory's errors: the HTTP catalogue its MCU-facing routes answer with
 * (`{ error: { code, message } }`, the same body shape as the MCU's own API) and the typed error
 * `pick()` rejects with when no MCU can take a conference.
 */
import type { MediaType } from '../../../shared/mcu/ids';

export const FACTORY_ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  UNAUTHORIZED: { status: 401, message: 'Missing or wrong server credentials.' },
  /** The MCU client registers again on this status (shared/mcu/factory.ts). */
  MCU_NOT_FOUND: { status: 404, message: 'No such MCU; register again.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send application/json.' },
  INTERNAL: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type FactoryErrorCode = keyof typeof FACTORY_ERRORS;

export class FactoryHttpError extends Error {
  override readonly name = 'FactoryHttpError';
  readonly status: number;
  constructor(
    readonly code: FactoryErrorCode,
    message: string = FACTORY_ERRORS[code].message,
  ) {
    super(message);
    this.status = FACTORY_ERRORS[code].status;
  }

  toBody(): { error: { code: FactoryErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** No live MCU offers this media type (none registered, all silent, or all marked dead). */
export class NoMcuAvailableError extends Error {
  override readonly name = 'NoMcuAvailableError';
  readonly code = 'NO_MCU_AVAILABLE';
  constructor(
    readonly conferenceId: string,
    readonly mediaType: MediaType,
  ) {
    super(`no live MCU offers ${mediaType} for conference ${conferenceId}`);
  }
}
