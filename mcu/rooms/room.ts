/**
 * A conference on the AV MCU: the users the Focus admitted, their connections, and the media
 * (RoomMedia) on one worker. The room owns its peers and its media; `close()` is idempotent.
 * When the worker dies the room rebuilds its media on another (or the replacement) worker and
 * tells every connected browser to reconnect media (`reconnectMedia`), which the client does on
 * its own.
 */
import type { types } from 'mediasoup';
import type { ConferenceState } from '../../shared/mcu/http';
import type { MediaKind, MediaType } from '../../shared/mcu/ids';
import type { ProducerInfo, SignalingNotifications } from '../../shared/mcu/signaling';
import { McuError } from '../errors';
import type { McuLog } from '../log';
import type { WorkerPool } from '../media/workerPool';
import { Peer, type PeerChannel, type ProducerData } from './peer';
import { RoomMedia } from './roomMedia';

const REBUILD_RETRY_MS = 500;

export class Room {
  readonly id: string;
  readonly mediaTypes: readonly MediaType[];
  readonly #peers = new Map<string, Peer>();
  readonly #pool: WorkerPool;
  readonly #log: McuLog;
  #media?: RoomMedia;
  /** Incremented on every rebuild; peers must join again for the new generation. */
  #generation = 0;
  #activeSpeaker: string | null = null;
  #closed = false;
  readonly #onClose: () => void;

  private constructor(id: string, mediaTypes: readonly MediaType[], pool: WorkerPool, log: McuLog, onClose: () => void) {
    this.id = id;
    this.mediaTypes = mediaTypes;
    this.#pool = pool;
    this.#log = log;
    this.#onClose = onClose;
  }

  static async create(id: string, mediaTypes: readonly MediaType[], pool: WorkerPool, log: McuLog, onClose: () => void): Promise<Room> {
    const room = new Room(id, mediaTypes, pool, log.child(`room:${id}`), onClose);
    room.#media = await room.#createMedia();
    return room;
  }

  get generation(): number {
    return this.#generation;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The live media, or MEDIA_RESTARTING while the room is being rebuilt. */
  media(): RoomMedia {
    if (this.#closed) throw new McuError('CONFERENCE_NOT_FOUND');
    if (!this.#media || this.#media.closed) throw new McuError('MEDIA_RESTARTING');
    return this.#media;
  }

  peer(userId: string): Peer | undefined {
    return this.#peers.get(userId);
  }

  peers(): IterableIterator<Peer> {
    return this.#peers.values();
  }

  /** Admits a user (Focus); re-adding updates the display name. */
  addUser(userId: string, displayName?: string): Peer {
    if (this.#closed) throw new McuError('CONFERENCE_NOT_FOUND');
    let peer = this.#peers.get(userId);
    if (!peer) {
      peer = new Peer(userId, displayName);
      this.#peers.set(userId, peer);
    } else if (displayName !== undefined) {
      peer.displayName = displayName;
    }
    return peer;
  }

  /** Removes a user: their connection is told why and closed, their media leaves the room. */
  removeUser(userId: string, reason: SignalingNotifications['removed']['reason'] = 'removed'): boolean {
    const peer = this.#peers.get(userId);
    if (!peer) return false;
    this.#peers.delete(userId);
    const channel = peer.channel;
    this.detach(peer);
    channel?.notify('removed', { reason });
    channel?.disconnect();
    return true;
  }

  /** A browser connected for this peer; an older connection of the same user is replaced. */
  attach(peer: Peer, channel: PeerChannel): void {
    const previous = peer.channel;
    if (previous && previous !== channel) {
      this.detach(peer);
      previous.notify('removed', { reason: 'replaced' });
      previous.disconnect();
    }
    peer.channel = channel;
  }

  /** The peer's connection is gone: their producers leave the room. */
  detach(peer: Peer): void {
    for (const producer of [...peer.producers.values()]) this.closeProducer(peer, producer);
    peer.resetMedia();
    peer.channel = undefined;
  }

  /** Registers a new producer: the speaker observer gets microphones; the others hear of it. */
  addProducer(peer: Peer, producer: types.Producer<ProducerData>): void {
    const media = this.media();
    peer.producers.set(producer.id, producer);
    producer.on('transportclose', () => peer.producers.delete(producer.id));
    if (producer.kind === 'audio' && producer.appData.source === 'mic') {
      media.activeSpeaker.addProducer({ producerId: producer.id }).catch((error: unknown) => {
        this.#log.debug('active speaker observer refused a producer', { error });
      });
    }
    this.broadcast('newProducer', this.producerInfo(peer, producer), peer);
  }

  closeProducer(peer: Peer, producer: types.Producer<ProducerData>): void {
    producer.close();
    peer.producers.delete(producer.id);
    this.broadcast('producerClosed', { userId: peer.userId, producerId: producer.id }, peer);
  }

  findProducer(producerId: string): { owner: Peer; producer: types.Producer<ProducerData> } | undefined {
    for (const owner of this.#peers.values()) {
      const producer = owner.producers.get(producerId);
      if (producer) return { owner, producer };
    }
    return undefined;
  }

  /** Every producer of the room except `except`'s, as newProducer payloads. */
  producerInfos(except?: Peer): ProducerInfo[] {
    const out: ProducerInfo[] = [];
    for (const peer of this.#peers.values()) {
      if (peer === except) continue;
      for (const producer of peer.producers.values()) out.push(this.producerInfo(peer, producer));
    }
    return out;
  }

  producerInfo(peer: Peer, producer: types.Producer<ProducerData>): ProducerInfo {
    return { userId: peer.userId, producerId: producer.id, kind: producer.kind, source: producer.appData.source, paused: producer.paused };
  }

  /**
   * Focus mute: the MCU stops forwarding the user's audio or video by pausing the producers
   * server-side, keeps new producers of that kind paused, and tells everyone.
   */
  async setMuted(userId: string, kind: MediaKind, muted: boolean): Promise<Peer> {
    const peer = this.#peers.get(userId);
    if (!peer) throw new McuError('USER_NOT_FOUND');
    if (muted) peer.mutedByFocus.add(kind);
    else peer.mutedByFocus.delete(kind);
    for (const producer of peer.producers.values()) {
      if (producer.kind !== kind) continue;
      if (muted) await producer.pause();
      else if (!producer.appData.userPaused) await producer.resume();
    }
    this.broadcast('mediaMuted', { userId, kind, muted });
    return peer;
  }

  /** Sends to every connected peer joined in the current generation, except one. */
  broadcast<E extends keyof SignalingNotifications>(event: E, payload: SignalingNotifications[E], except?: Peer): void {
    for (const peer of this.#peers.values()) {
      if (peer !== except && peer.joinedGeneration === this.#generation) peer.notify(event, payload);
    }
  }

  state(): ConferenceState {
    return {
      conferenceId: this.id,
      mediaTypes: [...this.mediaTypes],
      users: [...this.#peers.values()].map((p) => p.state()),
      activeSpeaker: this.#activeSpeaker,
      mediaGeneration: this.#generation,
    };
  }

  close(reason: SignalingNotifications['removed']['reason'] = 'conference-ended'): void {
    if (this.#closed) return;
    for (const userId of [...this.#peers.keys()]) this.removeUser(userId, reason);
    this.#closed = true;
    this.#media?.close();
    this.#media = undefined;
    this.#onClose();
  }

  async #createMedia(): Promise<RoomMedia> {
    const entry = await this.#pool.pick();
    return RoomMedia.create(entry, {
      onLost: () => this.#onMediaLost(),
      onDominantSpeaker: (producer) => {
        const owner = this.findProducer(producer.id)?.owner;
        if (!owner || owner.userId === this.#activeSpeaker) return;
        this.#activeSpeaker = owner.userId;
        this.broadcast('activeSpeaker', { userId: owner.userId });
      },
    });
  }

  #onMediaLost(): void {
    if (this.#closed) return;
    this.#log.warn('media lost with its worker; rebuilding', { generation: this.#generation });
    this.#media = undefined;
    this.#activeSpeaker = null;
    // The worker took every transport with it; keep the peers, forget their media.
    for (const peer of this.#peers.values()) {
      peer.transports.clear();
      peer.producers.clear();
      peer.consumers.clear();
    }
    void this.#rebuild();
  }

  async #rebuild(): Promise<void> {
    while (!this.#closed) {
      try {
        const media = await this.#createMedia();
        if (this.#closed) {
          media.close();
          return;
        }
        this.#media = media;
        break;
      } catch (error) {
        if (this.#closed) return;
        this.#log.warn('media rebuild failed; retrying', { error });
        await new Promise((r) => setTimeout(r, REBUILD_RETRY_MS));
      }
    }
    if (this.#closed) return;
    // Everyone connected must set up media again; the old generation's join no longer counts.
    this.#generation += 1;
    for (const peer of this.#peers.values()) {
      peer.joinedGeneration = -1;
      peer.notify('reconnectMedia', { reason: 'worker-died', mediaGeneration: this.#generation });
    }
    this.#log.info('media rebuilt', { generation: this.#generation, workerPid: this.#media?.entry.worker.pid });
  }
}
