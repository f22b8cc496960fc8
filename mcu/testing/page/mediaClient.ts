/**
 * Browser side of the AV MCU protocol (mediasoup-client + socket.io-client), as the test page
 * uses it: connect with a credential, send local tracks, receive everyone else's, and set media
 * up again by itself when the MCU says `reconnectMedia` (worker died). The web client's meeting
 * feature can follow the same flow (docs/mcu.md, "Browser flow").
 */
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  ProducerInfo,
  ServerToClientEvents,
  SignalingMethod,
  SignalingReplies,
  SignalingRequest,
} from '../../../shared/mcu/signaling';

export interface MediaClientOptions {
  signalingUrl: string;
  signalingPath: string;
  credential: string;
  /** mediasoup-client may not recognise HeadlessChrome; 'Chrome111' works for Chromium. */
  handlerName?: 'Chrome111';
}

type LocalTrack = { track: MediaStreamTrack; source: 'mic' | 'camera' | 'screen'; producer?: types.Producer };

/** Camera simulcast: three layers, quarter / half / full resolution. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 400_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

export class McuRequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class MediaClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly events: { event: string; payload: unknown }[] = [];
  readonly consumers = new Map<string, types.Consumer>();
  #device?: types.Device;
  #send?: types.Transport;
  #recv?: types.Transport;
  #locals: LocalTrack[] = [];
  #options: MediaClientOptions;
  /** Serialises setups: a reconnectMedia during a setup runs after it. */
  #setup: Promise<void> = Promise.resolve();
  generation = -1;
  reconnects = 0;

  constructor(options: MediaClientOptions) {
    this.#options = options;
    this.socket = io(options.signalingUrl, {
      path: options.signalingPath,
      auth: { credential: options.credential },
      transports: ['websocket'],
      reconnection: false,
    });
    for (const event of ['newProducer', 'producerClosed', 'consumerClosed', 'consumerPaused', 'consumerResumed', 'mediaMuted', 'activeSpeaker', 'reconnectMedia', 'removed'] as const) {
      this.socket.on(event, (payload: unknown) => this.events.push({ event, payload }));
    }
    this.socket.on('newProducer', (info) => void this.#afterSetup(() => this.#consume(info)));
    this.socket.on('consumerClosed', ({ consumerId }) => {
      this.consumers.get(consumerId)?.close();
      this.consumers.delete(consumerId);
    });
    this.socket.on('reconnectMedia', () => {
      this.reconnects += 1;
      this.#setup = this.#setup.then(() => this.#setUpMedia()).catch((e: unknown) => {
        this.events.push({ event: 'error', payload: String(e) });
      });
    });
  }

  /** Resolves once connected, rejects with the MCU's refusal (`code` from connect_error). */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err: Error & { data?: { code: string; message: string } }) =>
        reject(new McuRequestError(err.data?.code ?? err.message, err.data?.message ?? err.message)),
      );
    });
  }

  async request<M extends SignalingMethod>(method: M, payload: SignalingRequest<M>): Promise<SignalingReplies[M]> {
    const reply = (await (this.socket.timeout(15_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<SignalingReplies[M]>> }).emitWithAck(method, payload));
    if (!reply.ok) throw new McuRequestError(reply.error.code, reply.error.message);
    return reply.data;
  }

  /** Sends these tracks (mic, camera, screen) and receives everyone else's. */
  async start(tracks: LocalTrack[]): Promise<void> {
    await this.connected();
    this.#locals = tracks;
    this.#setup = this.#setup.then(() => this.#setUpMedia());
    await this.#setup;
  }

  async #afterSetup(fn: () => Promise<void>): Promise<void> {
    await this.#setup;
    await fn().catch((e: unknown) => this.events.push({ event: 'error', payload: String(e) }));
  }

  /** (Re)builds everything media: device, join, transports, producers, consumers. */
  async #setUpMedia(): Promise<void> {
    this.#send?.close();
    this.#recv?.close();
    for (const c of this.consumers.values()) c.close();
    this.consumers.clear();
    const { rtpCapabilities } = await this.request('getRouterRtpCapabilities', {});
    const device = new Device(this.#options.handlerName ? { handlerName: this.#options.handlerName } : undefined);
    await device.load({ routerRtpCapabilities: rtpCapabilities as types.RtpCapabilities });
    this.#device = device;
    const joined = await this.request('join', { rtpCapabilities: device.rtpCapabilities as never });
    this.generation = joined.mediaGeneration;
    this.#send = await this.#transport('send');
    this.#recv = await this.#transport('recv');
    for (const local of this.#locals) {
      local.producer = await this.#send.produce({
        track: local.track,
        stopTracks: false,
        ...(local.source === 'camera' ? { encodings: CAMERA_ENCODINGS } : {}),
        appData: { source: local.source },
      });
    }
    for (const info of joined.producers) await this.#consume(info);
  }

  async #transport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.request('createTransport', { direction });
    const params = { id: info.id, iceParameters: info.iceParameters, iceCandidates: info.iceCandidates, dtlsParameters: info.dtlsParameters } as never;
    const transport = direction === 'send' ? this.#device!.createSendTransport(params) : this.#device!.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, ok, fail) => {
      this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => ok(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, ok, fail) => {
      const source = (appData as { source: 'mic' | 'camera' | 'screen' }).source;
      this.request('produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never, source }).then(({ producerId }) => ok({ id: producerId }), fail);
    });
    return transport;
  }

  async #consume(info: ProducerInfo): Promise<void> {
    if (!this.#recv || this.#recv.closed) return;
    const c = await this.request('consume', { producerId: info.producerId });
    const consumer = await this.#recv.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters as never, appData: { userId: c.userId, source: c.source } });
    this.consumers.set(consumer.id, consumer);
    await this.request('resumeConsumer', { consumerId: consumer.id });
  }

  /** Totals over the receive transport's inbound-rtp stats. */
  async receiveStats(): Promise<{ bytesReceived: number; framesDecoded: number; consumers: number; sources: string[] }> {
    let bytesReceived = 0;
    let framesDecoded = 0;
    if (this.#recv && !this.#recv.closed) {
      const report = await this.#recv.getStats();
      report.forEach((s: { type: string; bytesReceived?: number; framesDecoded?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        bytesReceived += s.bytesReceived ?? 0;
        framesDecoded += s.framesDecoded ?? 0;
      });
    }
    const sources = [...this.consumers.values()].map((c) => `${(c.appData as { source: string }).source}`).sort();
    return { bytesReceived, framesDecoded, consumers: this.consumers.size, sources };
  }

  close(): void {
    this.#send?.close();
    this.#recv?.close();
    this.socket.close();
  }
}
