/**
 * consume, pauseConsumer, resumeConsumer, setPreferredLayers. Consumers start paused: the client
 * resumes once its track is wired up, so the first video frame it gets is a key frame.
 */
import type { types } from 'mediasoup';
import { McuError } from '../../errors';
import type { ConsumerData } from '../../rooms/peer';
import { requireJoined, type Handler, type HandlerContext } from './context';

function consumerOf(ctx: HandlerContext, consumerId: string): types.Consumer<ConsumerData> {
  const consumer = ctx.peer.consumers.get(consumerId);
  if (!consumer) throw new McuError('NOT_FOUND', 'No such consumer.');
  return consumer;
}

export const consume: Handler<'consume'> = async (ctx, { producerId }) => {
  requireJoined(ctx);
  const { peer, room } = ctx;
  if (peer.consumers.size >= ctx.limits.maxConsumers) throw new McuError('LIMIT_REACHED', `At most ${ctx.limits.maxConsumers} consumers per user.`);
  const found = room.findProducer(producerId);
  if (!found) throw new McuError('NOT_FOUND', 'No such producer.');
  const rtpCapabilities = peer.rtpCapabilities!;
  if (!room.media().router.canConsume({ producerId, rtpCapabilities })) throw new McuError('CANNOT_CONSUME');
  const transport = peer.recvTransport();
  if (!transport) throw new McuError('BAD_REQUEST', 'Create a recv transport first.');
  const consumer = await transport.consume<ConsumerData>({
    producerId,
    rtpCapabilities,
    paused: true,
    appData: { userId: found.owner.userId, source: found.producer.appData.source },
  });
  if (consumer.closed || !peer.transports.has(transport.id)) {
    consumer.close();
    throw new McuError('MEDIA_RESTARTING');
  }
  peer.consumers.set(consumer.id, consumer);
  const ids = { consumerId: consumer.id, producerId };
  consumer.on('transportclose', () => peer.consumers.delete(consumer.id));
  consumer.on('producerclose', () => {
    peer.consumers.delete(consumer.id);
    peer.notify('consumerClosed', ids);
  });
  consumer.on('producerpause', () => peer.notify('consumerPaused', ids));
  consumer.on('producerresume', () => peer.notify('consumerResumed', ids));
  return {
    consumerId: consumer.id,
    producerId,
    userId: found.owner.userId,
    kind: consumer.kind,
    source: found.producer.appData.source,
    rtpParameters: consumer.rtpParameters,
    paused: consumer.paused,
    producerPaused: consumer.producerPaused,
  };
};

export const pauseConsumer: Handler<'pauseConsumer'> = async (ctx, { consumerId }) => {
  await consumerOf(ctx, consumerId).pause();
  return {};
};

export const resumeConsumer: Handler<'resumeConsumer'> = async (ctx, { consumerId }) => {
  await consumerOf(ctx, consumerId).resume();
  return {};
};

export const setPreferredLayers: Handler<'setPreferredLayers'> = async (ctx, { consumerId, spatialLayer, temporalLayer }) => {
  const consumer = consumerOf(ctx, consumerId);
  if (consumer.type !== 'simulcast' && consumer.type !== 'svc') throw new McuError('BAD_REQUEST', 'This consumer has no layers.');
  await consumer.setPreferredLayers({ spatialLayer, ...(temporalLayer !== undefined ? { temporalLayer } : {}) });
  return {};
};
