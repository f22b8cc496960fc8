/**
 * The part of a conference that lives on one mediasoup worker: its Router and the
 * ActiveSpeakerObserver. When the worker dies this whole object is lost and the room builds a new
 * one elsewhere; nothing in it survives.
 */
import type { types } from 'mediasoup';
import { ACTIVE_SPEAKER_INTERVAL_MS, MEDIA_CODECS } from '../media/codecs';
import type { PoolWorker } from '../media/workerPool';

export interface RoomMediaEvents {
  /** The worker under this media died (not emitted on a deliberate close). */
  onLost(): void;
  onDominantSpeaker(producer: types.Producer): void;
}

export class RoomMedia {
  readonly entry: PoolWorker;
  readonly router: types.Router;
  readonly activeSpeaker: types.ActiveSpeakerObserver;
  #closed = false;

  private constructor(entry: PoolWorker, router: types.Router, activeSpeaker: types.ActiveSpeakerObserver) {
    this.entry = entry;
    this.router = router;
    this.activeSpeaker = activeSpeaker;
  }

  static async create(entry: PoolWorker, events: RoomMediaEvents): Promise<RoomMedia> {
    const router = await entry.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    let activeSpeaker: types.ActiveSpeakerObserver;
    try {
      activeSpeaker = await router.createActiveSpeakerObserver({ interval: ACTIVE_SPEAKER_INTERVAL_MS });
    } catch (err) {
      router.close();
      throw err;
    }
    const media = new RoomMedia(entry, router, activeSpeaker);
    entry.routers += 1;
    router.on('workerclose', () => {
      if (media.#markClosed()) events.onLost();
    });
    activeSpeaker.on('dominantspeaker', ({ producer }) => events.onDominantSpeaker(producer));
    return media;
  }

  get closed(): boolean {
    return this.#closed;
  }

  createWebRtcTransport(direction: 'send' | 'recv', maxIncomingBitrate: number, initialOutgoingBitrate: number) {
    return this.router.createWebRtcTransport({
      webRtcServer: this.entry.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: initialOutgoingBitrate,
      appData: { direction },
    }).then(async (transport) => {
      if (direction === 'send') await transport.setMaxIncomingBitrate(maxIncomingBitrate).catch(() => undefined);
      return transport;
    });
  }

  close(): void {
    if (this.#markClosed()) this.router.close();
  }

  #markClosed(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.entry.routers -= 1;
    return true;
  }
}
