/**
 * Meeting media on the AV MCU (docs/mcu.md "Browser flow"): mediasoup-client + socket.io with the
 * credential the Focus obtained. Sends the microphone and camera (camera in three simulcast
 * layers), a screen share on demand, receives everyone else's; rebuilds by itself when the MCU
 * says `reconnectMedia` (a worker died). Remote media is grouped per user for the stage, and
 * per-user receive stats are kept for the tests (decoded frames, inbound audio bytes).
 */
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ProducerInfo, ServerToClientEvents, SignalingMethod, SignalingReplies, SignalingRequest } from '../../../shared/mcu/signaling';
import type { MediaInfo } from '../../../shared/conferencing/types';
import { Store } from '../base/store';

export type Source = 'mic' | 'camera' | 'screen';

export interface RemoteMedia {
  userId: string;
  audio?: MediaStreamTrack;
  camera?: MediaStreamTrack;
  screen?: MediaStreamTrack;
}

export interface MediaState {
  connected: boolean;
  remote: ReadonlyMap<string, RemoteMedia>;
  activeSpeaker: string | null;
  sharing: boolean;
  /** Kinds the Focus muted for us (the MCU refuses to resume them). */
  mutedByFocus: ('audio' | 'video')[];
  error?: string;
}

const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 400_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

export class McuMediaError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** mediasoup-client does not recognise HeadlessChrome's user agent; Chromium's handler fits it. */
function handlerName(): 'Chrome111' | undefined {
  return /HeadlessChrome/.test(navigator.userAgent) ? 'Chrome111' : undefined;
}

export class MeetingMedia {
  readonly state = new Store<MediaState>({ connected: false, remote: new Map(), activeSpeaker: null, sharing: false, mutedByFocus: [] });
  private device?: types.Device;
  private send?: types.Transport;
  private recv?: types.Transport;
  private readonly consumers = new Map<string, types.Consumer>();
  private readonly producers = new Map<Source, types.Producer>();
  private locals: { track: MediaStreamTrack; source: Source }[] = [];
  private setup: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly info: MediaInfo, readonly userId: string) {
    // Straight to the MCU, so media outlives a Front End restart; through the Front End's origin
    // (info.proxyPath) only when the MCU cannot be reached directly.
    this.socket = this.open(info.signalingUrl, info.signalingPath);
  }

  private socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private triedProxy = false;

  private open(url: string, path: string): Socket<ServerToClientEvents, ClientToServerEvents> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { path, auth: { credential: this.info.credential }, transports: ['websocket'], reconnection: false });
    socket.on('newProducer', (p) => void this.after(() => this.consume(p)));
    socket.on('consumerClosed', ({ consumerId }) => this.dropConsumer(consumerId));
    socket.on('activeSpeaker', ({ userId }) => this.state.set((s) => ({ ...s, activeSpeaker: userId })));
    socket.on('mediaMuted', ({ userId, kind, muted }) => {
      if (userId !== this.userId) return;
      this.state.set((s) => ({ ...s, mutedByFocus: muted ? [...new Set([...s.mutedByFocus, kind])] : s.mutedByFocus.filter((k) => k !== kind) }));
    });
    socket.on('reconnectMedia', () => {
      this.setup = this.setup.then(() => this.build()).catch((e: unknown) => this.fail(e));
    });
    socket.on('removed', ({ reason }) => this.state.set((s) => ({ ...s, connected: false, error: reason })));
    socket.on('disconnect', () => this.state.set((s) => ({ ...s, connected: false })));
    // Test instrumentation (e2e, bench): per-user receive totals of the meeting in this tab.
    (globalThis as { ocsMeetingStats?: () => Promise<unknown> }).ocsMeetingStats = () => this.stats();
    return socket;
  }

  private connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err: Error & { data?: { code: string; message: string } }) => {
        // No `data`: the transport failed (unreachable, blocked), not the MCU refusing us.
        if (!err.data && this.info.proxyPath && !this.triedProxy) {
          this.triedProxy = true;
          this.socket.close();
          this.socket = this.open(window.location.origin, this.info.proxyPath);
          this.connect().then(resolve, reject);
          return;
        }
        reject(new McuMediaError(err.data?.code ?? err.message, err.data?.message ?? err.message));
      });
    });
  }

  /** Connects, sends `tracks` and receives everyone else's. */
  async start(tracks: { track: MediaStreamTrack; source: Source }[]): Promise<void> {
    await this.connect();
    this.locals = tracks;
    this.setup = this.setup.then(() => this.build());
    await this.setup;
    this.state.set((s) => ({ ...s, connected: true }));
  }

  async shareScreen(track: MediaStreamTrack): Promise<void> {
    await this.setup;
    this.locals.push({ track, source: 'screen' });
    await this.produce({ track, source: 'screen' });
    track.addEventListener('ended', () => void this.stopScreen());
    this.state.set((s) => ({ ...s, sharing: true }));
  }

  async stopScreen(): Promise<void> {
    const p = this.producers.get('screen');
    this.locals = this.locals.filter((l) => l.source !== 'screen');
    this.producers.delete('screen');
    if (p) {
      p.close();
      p.track?.stop();
      await this.request('closeProducer', { producerId: p.id }).catch(() => undefined);
    }
    this.state.set((s) => ({ ...s, sharing: false }));
  }

  /** Pauses or resumes our own producer (self mute / camera off). */
  async setPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    const p = this.producers.get(source);
    if (!p) return;
    if (paused) {
      p.pause();
      await this.request('pauseProducer', { producerId: p.id });
    } else {
      await this.request('resumeProducer', { producerId: p.id });
      p.resume();
    }
  }

  /** Inbound totals per remote user: audio bytes and decoded video frames. */
  async stats(): Promise<Record<string, { audioBytes: number; framesDecoded: number }>> {
    const out: Record<string, { audioBytes: number; framesDecoded: number }> = {};
    for (const c of this.consumers.values()) {
      const { userId } = c.appData as { userId: string };
      const entry = (out[userId] ??= { audioBytes: 0, framesDecoded: 0 });
      const report = await c.getStats();
      report.forEach((s: { type: string; bytesReceived?: number; framesDecoded?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        if (c.kind === 'audio') entry.audioBytes += s.bytesReceived ?? 0;
        else entry.framesDecoded += s.framesDecoded ?? 0;
      });
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.send?.close();
    this.recv?.close();
    this.socket.close();
    for (const l of this.locals) l.track.stop();
  }

  private async request<M extends SignalingMethod>(method: M, payload: SignalingRequest<M>): Promise<SignalingReplies[M]> {
    const reply = await (this.socket.timeout(15_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<SignalingReplies[M]>> }).emitWithAck(method, payload);
    if (!reply.ok) throw new McuMediaError(reply.error.code, reply.error.message);
    return reply.data;
  }

  private fail(e: unknown): void {
    this.state.set((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) }));
  }

  private async after(fn: () => Promise<void>): Promise<void> {
    await this.setup;
    await fn().catch((e: unknown) => this.fail(e));
  }

  /** (Re)builds device, join, transports, producers and consumers. */
  private async build(): Promise<void> {
    this.send?.close();
    this.recv?.close();
    for (const id of [...this.consumers.keys()]) this.dropConsumer(id);
    this.producers.clear();
    const { rtpCapabilities } = await this.request('getRouterRtpCapabilities', {});
    const name = handlerName();
    const device = new Device(name ? { handlerName: name } : undefined);
    await device.load({ routerRtpCapabilities: rtpCapabilities as types.RtpCapabilities });
    this.device = device;
    const joined = await this.request('join', { rtpCapabilities: device.rtpCapabilities as never });
    this.send = await this.transport('send');
    this.recv = await this.transport('recv');
    for (const local of this.locals) await this.produce(local);
    for (const p of joined.producers) await this.consume(p);
  }

  private async produce(local: { track: MediaStreamTrack; source: Source }): Promise<void> {
    if (!this.send) return;
    try {
      const producer = await this.send.produce({ track: local.track, stopTracks: false, ...(local.source === 'camera' ? { encodings: CAMERA_ENCODINGS } : {}), appData: { source: local.source } });
      this.producers.set(local.source, producer);
    } catch (e) {
      this.fail(e);
    }
  }

  private async transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.request('createTransport', { direction });
    const params = { id: info.id, iceParameters: info.iceParameters, iceCandidates: info.iceCandidates, dtlsParameters: info.dtlsParameters } as never;
    const t = direction === 'send' ? this.device!.createSendTransport(params) : this.device!.createRecvTransport(params);
    t.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.request('connectTransport', { transportId: t.id, dtlsParameters: dtlsParameters as never }).then(() => ok(), fail);
    });
    t.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
      const source = (appData as { source: Source }).source;
      this.request('produce', { transportId: t.id, kind, rtpParameters: rtpParameters as never, source }).then(({ producerId }) => ok({ id: producerId }), fail);
    });
    return t;
  }

  private async consume(info: ProducerInfo): Promise<void> {
    if (!this.recv || this.recv.closed) return;
    const c = await this.request('consume', { producerId: info.producerId });
    const consumer = await this.recv.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters as never, appData: { userId: c.userId, source: c.source } });
    this.consumers.set(consumer.id, consumer);
    await this.request('resumeConsumer', { consumerId: consumer.id });
    this.setRemote(c.userId, c.source === 'mic' ? 'audio' : c.source, consumer.track);
  }

  private dropConsumer(id: string): void {
    const c = this.consumers.get(id);
    if (!c) return;
    c.close();
    this.consumers.delete(id);
    const { userId, source } = c.appData as { userId: string; source: Source };
    this.setRemote(userId, source === 'mic' ? 'audio' : source, undefined);
  }

  private setRemote(userId: string, slot: 'audio' | 'camera' | 'screen', track: MediaStreamTrack | undefined): void {
    this.state.set((s) => {
      const remote = new Map(s.remote);
      const entry: RemoteMedia = { ...(remote.get(userId) ?? { userId }) };
      if (track) entry[slot] = track;
      else delete entry[slot];
      if (!entry.audio && !entry.camera && !entry.screen) remote.delete(userId);
      else remote.set(userId, entry);
      return { ...s, remote };
    });
  }
}
