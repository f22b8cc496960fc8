/**
 * Media activation (seed: "the Focus asks the Conferencing Server Factory for an MCU, instantiates
 * the conference there, adds the user, gets that user's credentials and sends the media
 * information to the client"), and the MCU side of Focus mutes and ejects. The MCU that carries a
 * media type of a conference is the Factory's sticky choice; an MCU that cannot be reached is
 * reported to the Factory (markDead) and the next pick moves the media type elsewhere.
 */
import type { ConferencingServerFactory, McuInfo } from '../mcu-factory/index';
import type { MediaType } from '../../../shared/mcu/ids';
import type { MediaInfo } from '../../../shared/conferencing/types';
import { C3pError } from '../focus-factory/errors';
import { McuApiError, McuUnreachableError, type McuClient } from './mcuClient';
import { proxyPathFor } from './mediaProxy';
import type { Logger } from '../../log';

export interface MediaDeps {
  mcus: Pick<ConferencingServerFactory, 'pick' | 'markDead' | 'release' | 'assignments' | 'list'>;
  client: McuClient;
  log: Logger;
  /** Credential lifetime asked of the MCU (bounded by its own maximum). */
  credentialTtlS?: number;
  /** Each signaling URL handed to a client (the page's CSP must allow it). */
  onSignalingUrl?(url: string): void;
}

export class ConferenceMedia {
  constructor(
    private readonly conferenceId: string,
    private readonly deps: MediaDeps,
  ) {}

  /**
   * Activates `types` for `user`: one credential per MCU involved (normally one AV MCU carries all).
   * `meetingTypes` is what the conference is created with on the MCU.
   */
  async activate(user: string, displayName: string, types: MediaType[], meetingTypes: MediaType[], muted: ('audio' | 'video')[]): Promise<MediaInfo[]> {
    const byMcu = new Map<string, { mcu: McuInfo; types: MediaType[] }>();
    for (const t of types) {
      const mcu = await this.pick(t);
      const entry = byMcu.get(mcu.mcuId) ?? { mcu, types: [] };
      entry.types.push(t);
      byMcu.set(mcu.mcuId, entry);
    }
    const out: MediaInfo[] = [];
    for (const { mcu, types: ts } of byMcu.values()) {
      const reply = await this.onMcu(mcu, async (m) => {
        await this.deps.client.createConference(m.apiUrl, { conferenceId: this.conferenceId, mediaTypes: meetingTypes.filter((t) => m.mediaTypes.includes(t)) });
        const r = await this.deps.client.addUser(m.apiUrl, this.conferenceId, { userId: user, displayName, ...(this.deps.credentialTtlS ? { ttlSeconds: this.deps.credentialTtlS } : {}) });
        // A Focus mute holds across rejoins: the MCU keeps new producers of that kind paused.
        for (const kind of muted) await this.deps.client.mute(m.apiUrl, this.conferenceId, user, { kind, muted: true });
        return r;
      });
      this.deps.onSignalingUrl?.(reply.signalingUrl);
      out.push({
        mcuId: mcu.mcuId,
        mediaTypes: ts,
        signalingUrl: reply.signalingUrl,
        signalingPath: reply.signalingPath,
        credential: reply.credential,
        expiresAt: reply.expiresAt,
        proxyPath: proxyPathFor(mcu.mcuId, reply.signalingPath),
      });
    }
    return out;
  }

  /** The MCU stops forwarding `kind` from `user` (or resumes). A user without media yet is fine: the mute is applied at activation. */
  async mute(user: string, kind: 'audio' | 'video', muted: boolean): Promise<void> {
    const mcu = await this.assigned(kind);
    if (!mcu) return;
    try {
      await this.deps.client.mute(mcu.apiUrl, this.conferenceId, user, { kind, muted });
    } catch (err) {
      if (err instanceof McuApiError && err.status === 404) return;
      throw this.failure(err, mcu);
    }
  }

  /** Removes the user from every MCU of the conference (their credential stops working). */
  async remove(user: string): Promise<void> {
    for (const mcu of await this.assignedMcus()) {
      try {
        await this.deps.client.removeUser(mcu.apiUrl, this.conferenceId, user);
      } catch (err) {
        if (!(err instanceof McuApiError && err.status === 404)) this.deps.log.warn('MCU remove user failed', { mcuId: mcu.mcuId, err });
      }
    }
  }

  /** The meeting is over: its MCU conferences go (connected users get `removed`), the Factory forgets them. */
  async end(): Promise<void> {
    for (const mcu of await this.assignedMcus()) {
      try {
        await this.deps.client.deleteConference(mcu.apiUrl, this.conferenceId);
      } catch (err) {
        if (!(err instanceof McuApiError && err.status === 404)) this.deps.log.warn('MCU delete conference failed', { mcuId: mcu.mcuId, err });
      }
    }
    await this.deps.mcus.release(this.conferenceId);
  }

  private async pick(t: MediaType): Promise<McuInfo> {
    try {
      return await this.deps.mcus.pick(this.conferenceId, t);
    } catch {
      throw new C3pError('unavailable', `No conferencing server is available for ${t} right now.`);
    }
  }

  /** Runs `fn` on `mcu`; when it is unreachable, marks it dead and tries the next pick once. */
  private async onMcu<T>(mcu: McuInfo, fn: (m: McuInfo) => Promise<T>): Promise<T> {
    try {
      return await fn(mcu);
    } catch (err) {
      if (!(err instanceof McuUnreachableError)) throw this.failure(err, mcu);
      await this.deps.mcus.markDead(mcu.mcuId);
      const next = await this.pick(mcu.mediaTypes[0] ?? 'audio');
      try {
        return await fn(next);
      } catch (e) {
        throw this.failure(e, next);
      }
    }
  }

  private failure(err: unknown, mcu: McuInfo): Error {
    this.deps.log.warn('MCU request failed', { mcuId: mcu.mcuId, err });
    if (err instanceof C3pError) return err;
    return new C3pError('unavailable', 'The conferencing server did not carry out the request.');
  }

  private async assigned(kind: 'audio' | 'video'): Promise<McuInfo | undefined> {
    const a = (await this.deps.mcus.assignments(this.conferenceId)).find((x) => x.mediaType === kind);
    if (!a) return undefined;
    return (await this.deps.mcus.list()).find((m) => m.mcuId === a.mcuId);
  }

  private async assignedMcus(): Promise<McuInfo[]> {
    const ids = new Set((await this.deps.mcus.assignments(this.conferenceId)).map((a) => a.mcuId));
    return (await this.deps.mcus.list()).filter((m) => ids.has(m.mcuId));
  }
}
