/** The calls feature's state: what the UI shows about each call. Pure, no sip.js. */

export type CallDirection = 'outgoing' | 'incoming';

export type CallPhase =
  /** Outgoing: INVITE sent, no provisional answer yet. */
  | 'dialing'
  /** Outgoing: 180 Ringing received. */
  | 'ringing'
  /** Incoming: ringing here (and on every other endpoint of ours). */
  | 'incoming'
  /** Answered: waiting for the ACK / media. */
  | 'connecting'
  | 'connected'
  | 'ended';

export interface CallView {
  id: string;
  direction: CallDirection;
  remoteUri: string;
  remoteName: string;
  /** The call carries (or offers) video. */
  video: boolean;
  phase: CallPhase;
  /** Epoch ms when media started (for the duration shown). */
  connectedAt?: number;
  muted: boolean;
  cameraOff: boolean;
  /** We put the call on hold. */
  held: boolean;
  /** The other side put the call on hold (RFC 3264 §8.4: sendonly/inactive offer). */
  remoteHeld: boolean;
  /** Why it ended, in words ("Busy", "Declined", "Call ended"). */
  endReason?: string;
  /** Our hold/resume re-INVITE is in flight. */
  pending?: boolean;
}

export interface CallsState {
  calls: readonly CallView[];
}

export const EMPTY_CALLS: CallsState = { calls: [] };

/** The call on screen: the one not ringing here (at most one; a new answer ends the old one). */
export function activeCall(state: CallsState): CallView | undefined {
  return state.calls.find((c) => c.phase !== 'incoming');
}

export function incomingCalls(state: CallsState): CallView[] {
  return state.calls.filter((c) => c.phase === 'incoming');
}

export function isInCall(state: CallsState): boolean {
  return state.calls.some((c) => c.phase === 'connecting' || c.phase === 'connected');
}

/** Words for a final response that ended an outgoing call (RFC 3261 §21). */
export function endReasonOf(statusCode: number | undefined): string {
  switch (statusCode) {
    case undefined: return 'Call ended';
    case 404: return 'This person could not be found';
    case 408:
    case 480: return 'Not available right now';
    case 486:
    case 600: return 'Busy';
    case 487: return 'Call cancelled';
    case 488:
    case 606: return 'The call could not be set up (media not accepted)';
    case 603: return 'Call declined';
    default: return statusCode >= 500 ? 'The call could not be connected' : 'Call ended';
  }
}

/** RFC 3264 §8.4: an offer that is sendonly or inactive puts us on hold (session-level or on every m= line). */
export function sdpPutsOnHold(sdp: string): boolean {
  const lines = sdp.split(/\r?\n/);
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections[sections.length - 1]?.push(line);
  }
  const directionOf = (section: string[]) => section.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)\b/.test(l))?.slice(2);
  const sessionDir = directionOf(sections[0] ?? []);
  const media = sections.slice(1).filter((s) => !/^m=\S+ 0 /.test(s[0] ?? ''));
  if (media.length === 0) return sessionDir === 'sendonly' || sessionDir === 'inactive';
  return media.every((s) => {
    const dir = directionOf(s) ?? sessionDir ?? 'sendrecv';
    return dir === 'sendonly' || dir === 'inactive';
  });
}

export function offersVideo(sdp: string | undefined): boolean {
  return Boolean(sdp && /^m=video [1-9]/m.test(sdp));
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
