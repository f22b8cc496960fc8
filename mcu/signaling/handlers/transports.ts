/** createTransport, connectTransport, restartIce: WebRtcTransports on the worker's WebRtcServer. */
import type { types } from 'mediasoup';
import { McuError } from '../../errors';
import { INITIAL_OUTGOING_BITRATE, MAX_INCOMING_BITRATE } from '../../media/codecs';
import type { TransportData } from '../../rooms/peer';
import { requireJoined, type Handler, type HandlerContext } from './context';

export function transportOf(ctx: HandlerContext, transportId: string): types.WebRtcTransport<TransportData> {
  const transport = ctx.peer.transports.get(transportId);
  if (!transport) throw new McuError('NOT_FOUND', 'No such transport.');
  return transport;
}

export const createTransport: Handler<'createTransport'> = async (ctx, { direction }) => {
  requireJoined(ctx);
  if (ctx.peer.transports.size >= ctx.limits.maxTransports) throw new McuError('LIMIT_REACHED', `At most ${ctx.limits.maxTransports} transports per user.`);
  const generation = ctx.room.generation;
  const transport = (await ctx.room.media().createWebRtcTransport(direction, MAX_INCOMING_BITRATE, INITIAL_OUTGOING_BITRATE)) as types.WebRtcTransport<TransportData>;
  // The worker may have died, or the user left, while the transport was being created.
  if (ctx.room.generation !== generation || !ctx.peer.connected) {
    transport.close();
    throw new McuError('MEDIA_RESTARTING');
  }
  ctx.peer.transports.set(transport.id, transport);
  const forget = () => ctx.peer.transports.delete(transport.id);
  transport.on('routerclose', forget);
  transport.on('dtlsstatechange', (state) => {
    if (state === 'failed' || state === 'closed') {
      transport.close();
      forget();
    }
  });
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
  };
};

export const connectTransport: Handler<'connectTransport'> = async (ctx, { transportId, dtlsParameters }) => {
  await transportOf(ctx, transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
  return {};
};

export const restartIce: Handler<'restartIce'> = async (ctx, { transportId }) => ({
  iceParameters: await transportOf(ctx, transportId).restartIce(),
});
