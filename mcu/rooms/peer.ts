/**
 * One user of a conference as the MCU sees them: added by the Focus (HTTP), connected by the
 * browser (socket.io), and the mediasoup objects they own. The peer owns its transports; closing
 * a transport closes its producers and consumers (mediasoup), and the maps drop them on the
 * close events the room wires up.
 */
import type { types } from 'mediasoup';
import type { MediaKind, MediaSource } from '../../shared/mcu/ids';
import type { UserState } from '../../shared/mcu/http';
import type { SignalingNotifications } from '../../shared/mcu/signaling';

/** The way back to the browser; the room never sees socket.io itself. */
export interface PeerChannel {
  notify<E extends keyof SignalingNotifications>(event: E, payload: SignalingNotifications[E]): void;
  disconnect(): void;
}

export type TransportData = { direction: 'send' | 'recv' };
export type ProducerData = { userId: string; source: MediaSource; userPaused: boolean };
export type ConsumerData = { userId: string; source: MediaSource };

export class Peer {
  readonly userId: string;
  displayName?: string;
  channel?: PeerChannel;
  rtpCapabilities?: types.RtpCapabilities;
  /** The room's media generation this peer joined; -1: not joined in the current one. */
  joinedGeneration = -1;
  readonly transports = new Map<string, types.WebRtcTransport<TransportData>>();
  readonly producers = new Map<string, types.Producer<ProducerData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerData>>();
  /** Kinds the Focus muted at the MCU: their producers stay paused until unmuted. */
  readonly mutedByFocus = new Set<MediaKind>();

  constructor(userId: string, displayName?: string) {
    this.userId = userId;
    this.displayName = displayName;
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  notify<E extends keyof SignalingNotifications>(event: E, payload: SignalingNotifications[E]): void {
    this.channel?.notify(event, payload);
  }

  /** The newest receive transport (consumers go there). */
  recvTransport(): types.WebRtcTransport<TransportData> | undefined {
    let found: types.WebRtcTransport<TransportData> | undefined;
    for (const t of this.transports.values()) if (t.appData.direction === 'recv') found = t;
    return found;
  }

  /** Drops every mediasoup object (closing them if still open) and the join. */
  resetMedia(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.joinedGeneration = -1;
  }

  state(): UserState {
    return {
      userId: this.userId,
      ...(this.displayName !== undefined ? { displayName: this.displayName } : {}),
      connected: this.connected,
      mutedByFocus: [...this.mutedByFocus],
      producers: [...this.producers.values()].map((p) => ({
        producerId: p.id,
        kind: p.kind,
        source: p.appData.source,
        paused: p.paused,
      })),
      consumers: this.consumers.size,
    };
  }
}
