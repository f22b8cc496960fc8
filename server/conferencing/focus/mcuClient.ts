/**
 * The Focus's side of the AV MCU HTTP API (docs/mcu.md, shared/mcu/http.ts): server to server with
 * the shared MCU secret as Bearer. Each call is bounded in time; a network failure is a
 * McuUnreachableError (the Focus then tells the Conferencing Server Factory, which stops picking
 * that MCU), an MCU error keeps the MCU's code.
 */
import {
  MCU_API_PATHS,
  mcuApiPath,
  type AddUserBody,
  type AddUserReply,
  type ConferenceState,
  type CreateConferenceBody,
  type MuteBody,
} from '../../../shared/mcu/http';

export class McuUnreachableError extends Error {
  override readonly name = 'McuUnreachableError';
}

export class McuApiError extends Error {
  override readonly name = 'McuApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class McuClient {
  constructor(
    private readonly secret: string,
    private readonly timeoutMs = 5_000,
  ) {}

  createConference(apiUrl: string, body: CreateConferenceBody): Promise<ConferenceState> {
    return this.call(apiUrl, 'POST', MCU_API_PATHS.conferences, body) as Promise<ConferenceState>;
  }

  async deleteConference(apiUrl: string, conferenceId: string): Promise<void> {
    await this.call(apiUrl, 'DELETE', mcuApiPath(MCU_API_PATHS.conference, { conferenceId }));
  }

  addUser(apiUrl: string, conferenceId: string, body: AddUserBody): Promise<AddUserReply> {
    return this.call(apiUrl, 'POST', mcuApiPath(MCU_API_PATHS.users, { conferenceId }), body) as Promise<AddUserReply>;
  }

  async removeUser(apiUrl: string, conferenceId: string, userId: string): Promise<void> {
    await this.call(apiUrl, 'DELETE', mcuApiPath(MCU_API_PATHS.user, { conferenceId, userId }));
  }

  async mute(apiUrl: string, conferenceId: string, userId: string, body: MuteBody): Promise<void> {
    await this.call(apiUrl, 'POST', mcuApiPath(MCU_API_PATHS.userMute, { conferenceId, userId }), body);
  }

  private async call(apiUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(apiUrl.replace(/\/$/, '') + path, {
        method,
        headers: { authorization: `Bearer ${this.secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new McuUnreachableError(`MCU at ${apiUrl} unreachable: ${(err as Error).message}`);
    }
    if (res.status === 204) return undefined;
    const text = await res.text();
    const json = text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : undefined;
    if (!res.ok) throw new McuApiError(res.status, json?.error?.code ?? 'INTERNAL', json?.error?.message ?? `HTTP ${res.status}`);
    return json;
  }
}
