/**
 * produce, closeProducer, pauseProducer, resumeProducer. A producer's source (mic, camera,
 * screen) travels in its appData; screen share is a producer of its own. A Focus mute wins over
 * the user's resume.
 */
import type { types } from 'mediasoup';
import { mediaTypeOf } from '../../../shared/mcu/ids';
import { McuError } from '../../errors';
import type { ProducerData } from '../../rooms/peer';
import { requireJoined, type Handler, type HandlerContext } from './context';
import { transportOf } from './transports';

function producerOf(ctx: HandlerContext, producerId: string): types.Producer<ProducerData> {
  const producer = ctx.peer.producers.get(producerId);
  if (!producer) throw new McuError('NOT_FOUND', 'No such producer.');
  return producer;
}

export const produce: Handler<'produce'> = async (ctx, { transportId, kind, rtpParameters, source }) => {
  requireJoined(ctx);
  if ((source === 'mic' && kind !== 'audio') || (source === 'camera' && kind !== 'video')) {
    throw new McuError('BAD_REQUEST', `A ${source} producer cannot be ${kind}.`);
  }
  if (!ctx.room.mediaTypes.includes(mediaTypeOf(kind, source))) throw new McuError('MEDIA_TYPE_NOT_ALLOWED');
  if (ctx.peer.producers.size >= ctx.limits.maxProducers) throw new McuError('LIMIT_REACHED', `At most ${ctx.limits.maxProducers} producers per user.`);
  const transport = transportOf(ctx, transportId);
  if (transport.appData.direction !== 'send') throw new McuError('BAD_REQUEST', 'Produce on a send transport.');
  const producer = await transport.produce<ProducerData>({
    kind,
    rtpParameters: rtpParameters as types.RtpParameters,
    appData: { userId: ctx.peer.userId, source, userPaused: false },
  });
  // The user may have left, or the worker died, while mediasoup created it.
  if (producer.closed || !ctx.peer.connected || !ctx.peer.transports.has(transportId)) {
    producer.close();
    throw new McuError('MEDIA_RESTARTING');
  }
  if (ctx.peer.mutedByFocus.has(kind)) await producer.pause();
  ctx.room.addProducer(ctx.peer, producer);
  return { producerId: producer.id, paused: producer.paused };
};

export const closeProducer: Handler<'closeProducer'> = (ctx, { producerId }) => {
  ctx.room.closeProducer(ctx.peer, producerOf(ctx, producerId));
  return {};
};

export const pauseProducer: Handler<'pauseProducer'> = async (ctx, { producerId }) => {
  const producer = producerOf(ctx, producerId);
  producer.appData.userPaused = true;
  await producer.pause();
  return {};
};

export const resumeProducer: Handler<'resumeProducer'> = async (ctx, { producerId }) => {
  const producer = producerOf(ctx, producerId);
  if (ctx.peer.mutedByFocus.has(producer.kind)) throw new McuError('MUTED_BY_FOCUS');
  producer.appData.userPaused = false;
  await producer.resume();
  return {};
};
