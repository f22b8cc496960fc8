/**
 * Every conference on this MCU, by id. Owns the rooms: ending a conference closes its room, and a
 * room that closes itself leaves the map.
 */
import type { ConferenceState } from '../../shared/mcu/http';
import { ALL_MEDIA_TYPES, type MediaType } from '../../shared/mcu/ids';
import { McuError } from '../errors';
import type { McuLog } from '../log';
import type { WorkerPool } from '../media/workerPool';
import { Room } from './room';

export interface ConferenceCounts {
  conferences: number;
  users: number;
  transports: number;
  producers: number;
  consumers: number;
}

export class Conferences {
  readonly #rooms = new Map<string, Room>();
  /** Creations in flight, so two concurrent creates of one id make one room. */
  readonly #pending = new Map<string, Promise<Room>>();
  readonly #pool: WorkerPool;
  readonly #log: McuLog;
  #closed = false;

  constructor(pool: WorkerPool, log: McuLog) {
    this.#pool = pool;
    this.#log = log;
  }

  get(conferenceId: string): Room | undefined {
    return this.#rooms.get(conferenceId);
  }

  require(conferenceId: string): Room {
    const room = this.#rooms.get(conferenceId);
    if (!room) throw new McuError('CONFERENCE_NOT_FOUND');
    return room;
  }

  /** Creates the conference, or returns it when it exists with the same media types. */
  async create(conferenceId: string, mediaTypes: readonly MediaType[] = ALL_MEDIA_TYPES): Promise<{ room: Room; created: boolean }> {
    if (this.#closed) throw new McuError('INTERNAL', 'The MCU is shutting down.');
    const existing = this.#rooms.get(conferenceId) ?? (await this.#pending.get(conferenceId));
    if (existing) {
      const same = existing.mediaTypes.length === mediaTypes.length && mediaTypes.every((t) => existing.mediaTypes.includes(t));
      if (!same) throw new McuError('CONFERENCE_EXISTS');
      return { room: existing, created: false };
    }
    const creating = Room.create(conferenceId, [...mediaTypes], this.#pool, this.#log, () => {
      if (this.#rooms.get(conferenceId)?.closed) this.#rooms.delete(conferenceId);
    });
    this.#pending.set(conferenceId, creating);
    try {
      const room = await creating;
      this.#rooms.set(conferenceId, room);
      this.#log.info('conference created', { conferenceId, mediaTypes: mediaTypes.join(',') });
      return { room, created: true };
    } finally {
      this.#pending.delete(conferenceId);
    }
  }

  end(conferenceId: string): boolean {
    const room = this.#rooms.get(conferenceId);
    if (!room) return false;
    room.close('conference-ended');
    this.#rooms.delete(conferenceId);
    this.#log.info('conference ended', { conferenceId });
    return true;
  }

  rooms(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  states(): ConferenceState[] {
    return [...this.#rooms.values()].map((r) => r.state());
  }

  counts(): ConferenceCounts {
    const counts: ConferenceCounts = { conferences: this.#rooms.size, users: 0, transports: 0, producers: 0, consumers: 0 };
    for (const room of this.#rooms.values()) {
      for (const peer of room.peers()) {
        if (peer.connected) counts.users += 1;
        counts.transports += peer.transports.size;
        counts.producers += peer.producers.size;
        counts.consumers += peer.consumers.size;
      }
    }
    return counts;
  }

  closeAll(): void {
    this.#closed = true;
    for (const id of [...this.#rooms.keys()]) this.end(id);
  }
}
