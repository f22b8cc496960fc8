/** The one error type MCU code throws for expected failures; both wires turn it into `{ code, message }`. */
import { MCU_ERRORS, type McuErrorBody, type McuErrorCode } from '../shared/mcu/errors';

export class McuError extends Error {
  readonly code: McuErrorCode;
  readonly status: number;

  constructor(code: McuErrorCode, message?: string) {
    super(message ?? MCU_ERRORS[code].message);
    this.name = 'McuError';
    this.code = code;
    this.status = MCU_ERRORS[code].status;
  }

  toBody(): McuErrorBody {
    return { code: this.code, message: this.message };
  }
}

/**
 * mediasoup signals bad client input (malformed RTP parameters, unsupported codecs) with TypeError
 * and UnsupportedError; those are the client's fault (BAD_REQUEST), anything else is ours.
 */
export function toMcuError(err: unknown): McuError {
  if (err instanceof McuError) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'TypeError' || name === 'UnsupportedError') return new McuError('BAD_REQUEST', String((err as Error).message).slice(0, 300));
  if (name === 'InvalidStateError') return new McuError('MEDIA_RESTARTING');
  return new McuError('INTERNAL');
}
