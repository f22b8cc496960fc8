/**
 * Router codecs. The MCU forwards, never transcodes: every receiver must decode what a sender
 * sends, so VP8 comes first (every WebRTC browser has it) and mediasoup-client picks the first
 * codec both sides share. H264 is offered for endpoints that only send it; a browser without
 * H264 simply never negotiates it.
 */
import type { types } from 'mediasoup';

export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2, parameters: { useinbandfec: 1, usedtx: 1 } },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90_000, parameters: { 'x-google-start-bitrate': 800 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90_000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/** Per send transport: caps what one user can push into the MCU (camera simulcast + screen). */
export const MAX_INCOMING_BITRATE = 3_000_000;
export const INITIAL_OUTGOING_BITRATE = 1_000_000;
/** Active speaker: how often mediasoup re-evaluates the dominant speaker (ms). */
export const ACTIVE_SPEAKER_INTERVAL_MS = 300;
