/** A refused contact command: a code from the shared catalogue, its SIP status, and a message naming the fault. */
import { CONTACT_ERRORS, type ContactErrorBody, type ContactErrorCode } from '../../shared/contacts';

export class ContactError extends Error {
  override readonly name = 'ContactError';
  readonly status: number;

  constructor(
    readonly code: ContactErrorCode,
    message?: string,
  ) {
    super(message ?? CONTACT_ERRORS[code].message);
    this.status = CONTACT_ERRORS[code].status;
  }

  toBody(): ContactErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
