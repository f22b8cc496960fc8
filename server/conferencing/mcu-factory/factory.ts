/**
 * The Conferencing Server Factory's choice of MCU (seed: "picks an MCU per conference and media
 * type from the load the MCUs report"). State lives in the DB (store.ts), so every Front End of a
 * pool sees the same MCUs and the first choice made for a conference holds pool-wide.
 *
 * - live: registered and heard from (registration or load report) within `silentAfterMs`
 *   (default three report intervals); a silent MCU is never picked.
 * - sticky: a conference's media type stays on its MCU while that MCU is live; when it is not,
 *   the next pick (its clients rejoining) moves it to the least-loaded live MCU.
 */
import type { Db } from '../../db/index';
import type { McuLoad } from '../../../shared/mcu/factory';
import type { MediaType } from '../../../shared/mcu/ids';
import { NoMcuAvailableError } from './errors';
import { conferencesOf, leastLoaded, loadScore } from './ranking';
import { McuStore, type McuRecord } from './store';

/** The MCU's default report period (mcu/config.ts, MCU_LOAD_INTERVAL_MS). */
export const DEFAULT_LOAD_INTERVAL_MS = 5_000;
/** Missed reports before an MCU counts as silent. */
export const SILENT_AFTER_REPORTS = 3;
export const DEFAULT_SILENT_AFTER_MS = SILENT_AFTER_REPORTS * DEFAULT_LOAD_INTERVAL_MS;

export interface FactoryLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface McuInfo {
  mcuId: string;
  kind: 'av' | 'im';
  /** Base URL of the MCU's HTTP API (shared/mcu/http.ts paths are relative to it). */
  apiUrl: string;
  mediaTypes: MediaType[];
  capacity: { workers: number; maxConsumers: number };
  version: string;
  /** The last load report, absent until the first one. */
  load?: McuLoad;
  registeredAt: number;
  lastSeenAt: number;
  /** Heard from within the silence timeout: may be picked. */
  live: boolean;
  /** Reported conferences plus those assigned since the report. */
  conferences: number;
  /** The ranking score (ranking.ts); lower is less loaded. */
  score: number;
}

export interface ConferencingServerFactoryOptions {
  db: Pick<Db, 'sql' | 'queue'>;
  now?: () => number;
  /** An MCU not heard from for this long is not picked (ms). */
  silentAfterMs?: number;
  log?: FactoryLog;
}

/** Concurrent Front Ends may overwrite each other's choice; re-read and retry this many times. */
const MAX_PICK_ATTEMPTS = 3;

export class ConferencingServerFactory {
  readonly silentAfterMs: number;
  readonly #store: McuStore;
  readonly #now: () => number;
  readonly #log?: FactoryLog;
  /** Picks run one at a time so each sees the previous one's assignment when ranking. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: ConferencingServerFactoryOptions) {
    this.#store = new McuStore(options.db);
    this.#now = options.now ?? Date.now;
    this.silentAfterMs = options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS;
    this.#log = options.log;
  }

  /**
   * The MCU that carries `mediaType` for `conferenceId`: the one already chosen while it is live,
   * else the least-loaded live MCU offering that media type (remembered). Rejects with
   * NoMcuAvailableError when there is none.
   */
  pick(conferenceId: string, mediaType: MediaType): Promise<McuInfo> {
    const run = this.#chain.then(() => this.#pick(conferenceId, mediaType));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #pick(conferenceId: string, mediaType: MediaType): Promise<McuInfo> {
    for (let attempt = 0; attempt < MAX_PICK_ATTEMPTS; attempt++) {
      const now = this.#now();
      const [mcus, current] = await Promise.all([this.#store.list(), this.#store.assignment(conferenceId, mediaType)]);
      const candidates = mcus.filter((m) => this.#isLive(m, now) && m.mediaTypes.includes(mediaType));
      const sticky = current === undefined ? undefined : candidates.find((m) => m.mcuId === current);
      if (sticky) return this.#info(sticky, now);

      const best = leastLoaded(candidates);
      if (!best) throw new NoMcuAvailableError(conferenceId, mediaType);
      const assigned = await this.#store.assign(conferenceId, mediaType, best.mcuId, current, now);
      if (assigned !== best.mcuId) continue; // another Front End chose first: take its choice if live
      if (current !== undefined) {
        this.#log?.info('conference moved off an MCU that is gone or silent', { conferenceId, mediaType, from: current, to: best.mcuId });
      }
      const fresh = await this.#store.get(best.mcuId);
      return this.#info(fresh ?? best, now);
    }
    throw new NoMcuAvailableError(conferenceId, mediaType);
  }

  /** Every registered MCU, live or silent, by id. */
  async list(): Promise<McuInfo[]> {
    const now = this.#now();
    return (await this.#store.list()).map((m) => this.#info(m, now));
  }

  /**
   * The Focus could not reach this MCU: stop picking it. Its registration is dropped, so if it is
   * in fact alive its next load report is answered 404 and it registers again.
   * Resolves false when it was not registered.
   */
  async markDead(mcuId: string): Promise<boolean> {
    const removed = await this.#store.remove(mcuId);
    if (removed) this.#log?.warn('MCU marked dead', { mcuId });
    return removed;
  }

  /** The conference ended: forget its MCUs (a later pick chooses afresh). */
  release(conferenceId: string): Promise<number> {
    return this.#store.release(conferenceId);
  }

  /** Which MCU carries each media type of a conference (whether or not it is still live). */
  assignments(conferenceId: string): Promise<{ mediaType: MediaType; mcuId: string }[]> {
    return this.#store.assignments(conferenceId);
  }

  #isLive(m: McuRecord, now: number): boolean {
    return now - m.lastSeenAt <= this.silentAfterMs;
  }

  #info(m: McuRecord, now: number): McuInfo {
    const info: McuInfo = {
      mcuId: m.mcuId,
      kind: m.kind,
      apiUrl: m.apiUrl,
      mediaTypes: m.mediaTypes,
      capacity: m.capacity,
      version: m.version,
      registeredAt: m.registeredAt,
      lastSeenAt: m.lastSeenAt,
      live: this.#isLive(m, now),
      conferences: conferencesOf(m),
      score: Math.round(loadScore(m) * 1e6) / 1e6,
    };
    if (m.load) info.load = m.load;
    return info;
  }
}
