/**
 * The AV MCU's error catalogue, shared by its HTTP API (the Focus side) and its socket.io
 * signaling (the browser side): each code has one meaning, one HTTP status and a default message.
 * Both wires carry `{ code, message }`.
 */
export const MCU_ERRORS = {
  UNAUTHORIZED: { status: 401, message: 'Missing or wrong server credentials.' },
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  CONFERENCE_NOT_FOUND: { status: 404, message: 'No such conference on this MCU.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user in this conference.' },
  CONFERENCE_EXISTS: { status: 409, message: 'The conference exists with other settings.' },
  CREDENTIAL_INVALID: { status: 401, message: 'The media credential is not valid.' },
  CREDENTIAL_EXPIRED: { status: 401, message: 'The media credential has expired; ask the conference for a new one.' },
  NOT_JOINED: { status: 409, message: 'Join the conference first.' },
  LIMIT_REACHED: { status: 429, message: 'Per-user limit reached.' },
  MEDIA_TYPE_NOT_ALLOWED: { status: 403, message: 'This conference does not carry that media type.' },
  MUTED_BY_FOCUS: { status: 403, message: 'This media was muted by the conference; it cannot be resumed by the user.' },
  CANNOT_CONSUME: { status: 409, message: 'This device cannot receive that media.' },
  MEDIA_RESTARTING: { status: 503, message: 'The media engine is restarting; reconnect media.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  INTERNAL: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type McuErrorCode = keyof typeof MCU_ERRORS;

export interface McuErrorBody {
  code: McuErrorCode;
  message: string;
}
