/** What every signaling handler gets: the caller's room and peer, and the per-peer limits. */
import type { SignalingMethod, SignalingReplies, SignalingRequest } from '../../../shared/mcu/signaling';
import type { PeerLimits } from '../../config';
import { McuError } from '../../errors';
import type { McuLog } from '../../log';
import type { Peer } from '../../rooms/peer';
import type { Room } from '../../rooms/room';

export interface HandlerContext {
  room: Room;
  peer: Peer;
  limits: PeerLimits;
  log: McuLog;
}

export type Handler<M extends SignalingMethod> = (ctx: HandlerContext, request: SignalingRequest<M>) => Promise<SignalingReplies[M]> | SignalingReplies[M];

/** Media requests need a join in the room's current media generation (reconnectMedia resets it). */
export function requireJoined(ctx: HandlerContext): void {
  if (ctx.peer.joinedGeneration !== ctx.room.generation || !ctx.peer.rtpCapabilities) throw new McuError('NOT_JOINED');
}
