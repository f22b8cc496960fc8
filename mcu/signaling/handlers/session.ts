/** getRouterRtpCapabilities and join: what a client needs before any transport. */
import type { types } from 'mediasoup';
import type { Handler } from './context';

export const getRouterRtpCapabilities: Handler<'getRouterRtpCapabilities'> = (ctx) => ({
  rtpCapabilities: ctx.room.media().router.rtpCapabilities,
});

/** Records what the device can receive and returns the producers already in the room. */
export const join: Handler<'join'> = (ctx, { rtpCapabilities }) => {
  ctx.room.media(); // refuses while the media is being rebuilt
  ctx.peer.rtpCapabilities = rtpCapabilities as types.RtpCapabilities;
  ctx.peer.joinedGeneration = ctx.room.generation;
  return {
    userId: ctx.peer.userId,
    mediaGeneration: ctx.room.generation,
    producers: ctx.room.producerInfos(ctx.peer),
    mutedByFocus: [...ctx.peer.mutedByFocus],
  };
};
