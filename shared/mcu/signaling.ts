/**
 * socket.io signaling between the browser (mediasoup-client) and the AV MCU. Every client request
 * is an event with one payload and an acknowledgement; every payload has a TypeBox schema here,
 * checked by the MCU before any handler runs. mediasoup's own structures (RTP capabilities and
 * parameters, DTLS parameters) are checked for shape here and in depth by mediasoup itself.
 *
 * Connection: `io(signalingUrl, { path: signalingPath, auth: { credential } })` with the
 * credential the Focus obtained from the MCU's HTTP API. A missing, wrong or expired credential
 * makes the connection fail with `connect_error` whose `message` is an McuErrorCode and whose
 * `data` is `{ code, message }`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { McuErrorBody } from './errors';
import { MediaKindSchema, MediaSourceSchema, UserIdSchema } from './ids';

const Id = Type.String({ minLength: 1, maxLength: 64 });
/** mediasoup objects: required top-level shape only; mediasoup validates the rest. */
const Loose = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: true });

export const RtpCapabilitiesSchema = Loose({
  codecs: Type.Optional(Type.Array(Loose({}), { maxItems: 128 })),
  headerExtensions: Type.Optional(Type.Array(Loose({}), { maxItems: 128 })),
});
export const DtlsParametersSchema = Loose({
  role: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('client'), Type.Literal('server')])),
  fingerprints: Type.Array(Loose({ algorithm: Type.String(), value: Type.String() }), { minItems: 1, maxItems: 8 }),
});
export const RtpParametersSchema = Loose({
  codecs: Type.Array(Loose({}), { minItems: 1, maxItems: 32 }),
  encodings: Type.Optional(Type.Array(Loose({}), { maxItems: 8 })),
  headerExtensions: Type.Optional(Type.Array(Loose({}), { maxItems: 32 })),
});

const Empty = Type.Object({}, { additionalProperties: false });
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });

/** Client -> MCU requests: name -> payload schema. */
export const SignalingRequestSchemas = {
  getRouterRtpCapabilities: Empty,
  join: strict({ rtpCapabilities: RtpCapabilitiesSchema }),
  createTransport: strict({ direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]) }),
  connectTransport: strict({ transportId: Id, dtlsParameters: DtlsParametersSchema }),
  restartIce: strict({ transportId: Id }),
  produce: strict({ transportId: Id, kind: MediaKindSchema, rtpParameters: RtpParametersSchema, source: MediaSourceSchema }),
  closeProducer: strict({ producerId: Id }),
  pauseProducer: strict({ producerId: Id }),
  resumeProducer: strict({ producerId: Id }),
  consume: strict({ producerId: Id }),
  pauseConsumer: strict({ consumerId: Id }),
  resumeConsumer: strict({ consumerId: Id }),
  setPreferredLayers: strict({
    consumerId: Id,
    spatialLayer: Type.Integer({ minimum: 0, maximum: 3 }),
    temporalLayer: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  }),
} as const satisfies Record<string, TSchema>;

export type SignalingMethod = keyof typeof SignalingRequestSchemas;
export type SignalingRequest<M extends SignalingMethod> = Static<(typeof SignalingRequestSchemas)[M]>;

export interface ProducerInfo {
  userId: string;
  producerId: string;
  kind: 'audio' | 'video';
  source: 'mic' | 'camera' | 'screen';
  paused: boolean;
}

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
}

export interface ConsumerInfo {
  consumerId: string;
  producerId: string;
  userId: string;
  kind: 'audio' | 'video';
  source: 'mic' | 'camera' | 'screen';
  rtpParameters: unknown;
  /** Always true: media flows once the client has set up its track and calls resumeConsumer. */
  paused: boolean;
  producerPaused: boolean;
}

/** MCU replies, per request. */
export interface SignalingReplies {
  getRouterRtpCapabilities: { rtpCapabilities: unknown };
  join: { userId: string; mediaGeneration: number; producers: ProducerInfo[]; mutedByFocus: ('audio' | 'video')[] };
  createTransport: TransportInfo;
  connectTransport: Record<string, never>;
  restartIce: { iceParameters: unknown };
  produce: { producerId: string; paused: boolean };
  closeProducer: Record<string, never>;
  pauseProducer: Record<string, never>;
  resumeProducer: Record<string, never>;
  consume: ConsumerInfo;
  pauseConsumer: Record<string, never>;
  resumeConsumer: Record<string, never>;
  setPreferredLayers: Record<string, never>;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: McuErrorBody };

/** MCU -> client notifications. */
export interface SignalingNotifications {
  newProducer: ProducerInfo;
  producerClosed: { userId: string; producerId: string };
  consumerClosed: { consumerId: string; producerId: string };
  consumerPaused: { consumerId: string; producerId: string };
  consumerResumed: { consumerId: string; producerId: string };
  /** The Focus muted/unmuted a user's audio or video at the MCU (sent to everyone, that user included). */
  mediaMuted: { userId: string; kind: 'audio' | 'video'; muted: boolean };
  activeSpeaker: { userId: string | null };
  /** The media engine under this conference was replaced: drop transports and set up media again. */
  reconnectMedia: { reason: 'worker-died'; mediaGeneration: number };
  /** The user is out (removed by the Focus, conference ended, or a newer connection of the same user). */
  removed: { reason: 'removed' | 'conference-ended' | 'replaced' };
}

/** socket.io typed-event maps (`Server<ClientToServerEvents, ServerToClientEvents>`). */
export type ClientToServerEvents = {
  [M in SignalingMethod]: (payload: SignalingRequest<M>, ack: (reply: Ack<SignalingReplies[M]>) => void) => void;
};
export type ServerToClientEvents = {
  [E in keyof SignalingNotifications]: (payload: SignalingNotifications[E]) => void;
};

export const DEFAULT_SIGNALING_PATH = '/mcu/socket.io';
export { UserIdSchema };
