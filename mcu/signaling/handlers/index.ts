/** The handler table: one handler per signaling method (no switch). */
import type { SignalingMethod } from '../../../shared/mcu/signaling';
import type { Handler } from './context';
import { consume, pauseConsumer, resumeConsumer, setPreferredLayers } from './consumers';
import { closeProducer, pauseProducer, produce, resumeProducer } from './producers';
import { getRouterRtpCapabilities, join } from './session';
import { connectTransport, createTransport, restartIce } from './transports';

export const SIGNALING_HANDLERS: { [M in SignalingMethod]: Handler<M> } = {
  getRouterRtpCapabilities,
  join,
  createTransport,
  connectTransport,
  restartIce,
  produce,
  closeProducer,
  pauseProducer,
  resumeProducer,
  consume,
  pauseConsumer,
  resumeConsumer,
  setPreferredLayers,
};
