/**
 * 1:1 calls over SIP INVITE (RFC 3261 §13-15) with sip.js's default WebRTC SessionDescriptionHandler.
 * The Front End forks an INVITE to every endpoint of the callee, so every tab rings; the first to
 * answer wins and the proxy CANCELs the others with `Reason: SIP;cause=200` (RFC 3326), which we
 * show as "answered elsewhere". Hold is a re-INVITE with a sendonly offer (RFC 3264 §8.4); mute and
 * camera-off only disable our sending tracks (no signalling).
 *
 * The manager owns every sip.js Session it creates or receives; its state is a Store the UI reads,
 * and its media (local/remote MediaStreams) a second Store, so views re-render when tracks arrive.
 */
import { Inviter, SessionState, UserAgent, Web, type Invitation, type Session } from 'sip.js';
import { mayBreakThroughDnd } from '../../../shared/presence/privacy';
import type { AppEvents } from '../base/contracts';
import type { Emitter } from '../base/emitter';
import { notify, pageHidden } from '../base/notify';
import type { People } from '../base/people';
import { Store } from '../base/store';
import type { SipConnection } from '../session';
import { EMPTY_CALLS, endReasonOf, isInCall, offersVideo, sdpPutsOnHold, type CallsState, type CallView } from './model';

export interface CallMedia {
  local?: MediaStream;
  remote?: MediaStream;
}

/** How long an ended call stays on screen with its reason. */
const ENDED_LINGER_MS = 2_500;

function aorOf(uri: { user?: string | undefined; host: string }): string {
  return `sip:${uri.user ?? ''}@${uri.host}`;
}

function mediaErrorReason(err: unknown): string | undefined {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'NotAllowedError') return 'Camera or microphone access was blocked';
  if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError') return 'No camera or microphone is available';
  return undefined;
}

export class CallManager {
  readonly state = new Store<CallsState>(EMPTY_CALLS);
  readonly media = new Store<ReadonlyMap<string, CallMedia>>(new Map());
  private readonly sessions = new Map<string, Session>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private inCall = false;
  /** Calls waiting to be replaced by the meeting asked for from them, by the peer's AOR. */
  private readonly toMeeting = new Map<string, string>();

  constructor(private readonly sip: SipConnection, private readonly bus: Emitter<AppEvents>, private readonly people: People, private readonly selfUri: string) {}

  /** Starts taking INVITEs; the returned cleanup hangs up every call. */
  start(): () => void {
    const off = this.sip.onInvite((invitation) => this.receive(invitation));
    const offMeeting = this.bus.on('meeting/started', ({ with: peers }) => {
      for (const peer of peers) {
        const id = this.toMeeting.get(peer);
        this.toMeeting.delete(peer);
        if (id) this.hangUp(id);
      }
    });
    return () => {
      off();
      offMeeting();
      this.toMeeting.clear();
      for (const id of [...this.sessions.keys()]) this.hangUp(id);
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
    };
  }

  /** Places a call; ends the current one first (one call at a time). Returns the call id. */
  call(uri: string, remoteName: string, video: boolean): string | undefined {
    const target = UserAgent.makeURI(uri);
    if (!target) return undefined;
    const current = this.state.get().calls.find((c) => c.phase !== 'incoming' && c.phase !== 'ended');
    if (current) this.hangUp(current.id);
    const inviter = new Inviter(this.sip.userAgent, target, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video } },
    });
    const id = inviter.id;
    this.add({ id, direction: 'outgoing', remoteUri: aorOf(target), remoteName, video, phase: 'dialing', muted: false, cameraOff: false, held: false, remoteHeld: false });
    this.own(id, inviter);
    let rejected: number | undefined;
    inviter.invite({
      requestDelegate: {
        onProgress: (response) => {
          if (response.message.statusCode === 180 || response.message.statusCode === 183) this.update(id, (c) => (c.phase === 'dialing' ? { ...c, phase: 'ringing' } : c));
        },
        onReject: (response) => { rejected = response.message.statusCode; this.end(id, endReasonOf(rejected)); },
      },
    }).catch((err: unknown) => this.end(id, mediaErrorReason(err) ?? endReasonOf(rejected)));
    return id;
  }

  accept(id: string, video: boolean): void {
    const invitation = this.sessions.get(id) as Invitation | undefined;
    if (!invitation || !('accept' in invitation)) return;
    for (const other of this.state.get().calls) {
      if (other.id !== id && other.phase !== 'incoming' && other.phase !== 'ended') this.hangUp(other.id);
    }
    this.update(id, (c) => ({ ...c, phase: 'connecting', video: c.video && video, cameraOff: false }));
    invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video } } })
      .catch((err: unknown) => this.end(id, mediaErrorReason(err) ?? 'The call could not be answered'));
  }

  /** 603 Decline (RFC 3261 §21.6.2): the proxy stops the other endpoints ringing too. */
  decline(id: string): void {
    const invitation = this.sessions.get(id) as Invitation | undefined;
    if (!invitation || !('reject' in invitation)) return;
    invitation.reject({ statusCode: 603 }).catch(() => undefined);
    this.end(id, 'Call declined');
  }

  /**
   * "Meet now" from a call (as Teams does, the meeting replaces the call): asks for a meeting with
   * the peer, who gets the join link by IM; the call ends only once the meeting is open, so a
   * meeting that fails to start leaves the call up.
   */
  moveToMeeting(id: string): void {
    const call = this.state.get().calls.find((c) => c.id === id && c.phase !== 'ended');
    if (!call) return;
    this.toMeeting.set(call.remoteUri, id);
    this.bus.emit('meeting/start', { with: [call.remoteUri] });
  }

  hangUp(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    const ending = session.state === SessionState.Established ? session.bye()
      : session instanceof Inviter ? session.cancel()
      : (session as Invitation).reject({ statusCode: 486 });
    ending.catch(() => undefined);
    this.end(id, 'Call ended');
  }

  setMuted(id: string, muted: boolean): void {
    this.update(id, (c) => ({ ...c, muted }));
    this.applyTracks(id);
  }

  setCameraOff(id: string, cameraOff: boolean): void {
    this.update(id, (c) => ({ ...c, cameraOff }));
    this.applyTracks(id);
  }

  /** re-INVITE with a hold (sendonly) or resume (sendrecv) offer. */
  setHold(id: string, hold: boolean): void {
    const session = this.sessions.get(id);
    const view = this.view(id);
    if (!session || !view || view.pending || view.held === hold || session.state !== SessionState.Established) return;
    const options: Web.SessionDescriptionHandlerOptions = { ...session.sessionDescriptionHandlerOptionsReInvite, hold };
    session.sessionDescriptionHandlerOptionsReInvite = options;
    this.update(id, (c) => ({ ...c, pending: true }));
    const done = (held: boolean) => {
      this.update(id, (c) => ({ ...c, held, pending: false }));
      this.applyTracks(id);
    };
    session.invite({ requestDelegate: { onAccept: () => done(hold), onReject: () => done(!hold) } })
      .catch(() => done(!hold));
  }

  private receive(invitation: Invitation): boolean {
    const id = invitation.id;
    const remote = invitation.remoteIdentity;
    const remoteUri = aorOf(remote.uri);
    const remoteName = this.people.get(remoteUri)?.displayName ?? (remote.displayName || remote.uri.user || remoteUri);
    const video = offersVideo(invitation.body);
    if (remote.displayName) this.bus.emit('person/seen', { uri: remoteUri, displayName: remote.displayName });
    // Do not disturb (OCS): only Workgroup and Personal contacts break through; others hear busy.
    if (this.people.get(this.selfUri)?.presence?.class === 'dnd' && !mayBreakThroughDnd(this.people.get(remoteUri)?.accessLevel ?? 'colleague')) {
      invitation.reject({ statusCode: 486, reasonPhrase: 'Busy Here (Do not disturb)' }).catch(() => undefined);
      this.bus.emit('call/missed', { uri: remoteUri, displayName: remoteName, video, at: Date.now() });
      return true;
    }
    this.add({
      id, direction: 'incoming', remoteUri, remoteName, video, phase: 'incoming',
      muted: false, cameraOff: false, held: false, remoteHeld: false,
    });
    this.own(id, invitation);
    invitation.delegate = {
      ...invitation.delegate,
      onCancel: (cancel) => {
        const elsewhere = /cause=200\b/.test(cancel.request.getHeader('Reason') ?? '');
        this.end(id, elsewhere ? 'Answered on another device' : 'Missed call', true);
        if (!elsewhere) this.bus.emit('call/missed', { uri: remoteUri, displayName: remoteName, video, at: Date.now() });
      },
    };
    invitation.progress().catch(() => undefined); // 180 Ringing
    if (pageHidden()) notify(remoteName, video ? 'Incoming video call' : 'Incoming call', `call:${id}`, () => undefined);
    return true;
  }

  /** Follows a session's life: media when it has a handler, the phase, remote hold, the end. */
  private own(id: string, session: Session): void {
    this.sessions.set(id, session);
    session.delegate = {
      ...session.delegate,
      onSessionDescriptionHandler: (sdh) => this.attachMedia(id, sdh),
      onInvite: (request) => {
        this.update(id, (c) => ({ ...c, remoteHeld: sdpPutsOnHold(request.body ?? '') }));
      },
      // With a delegate, sip.js leaves answering the BYE to us (§15.1.2: 200 OK).
      onBye: (bye) => {
        bye.accept().catch(() => undefined);
        this.end(id, `${this.view(id)?.remoteName ?? 'The other person'} ended the call`);
      },
    };
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.update(id, (c) => ({ ...c, phase: 'connected', connectedAt: Date.now() }));
        if (session.sessionDescriptionHandler) this.attachMedia(id, session.sessionDescriptionHandler);
        this.applyTracks(id);
      } else if (state === SessionState.Terminated) {
        // sip.js terminates an Inviter before calling our onReject with the final response:
        // let that more precise reason ("Call declined", "Busy") land first.
        queueMicrotask(() => this.end(id, 'Call ended'));
      }
      this.reportActivity();
    });
  }

  private attachMedia(id: string, sdh: unknown): void {
    if (!(sdh instanceof Web.SessionDescriptionHandler)) return;
    const next = new Map(this.media.get());
    next.set(id, { local: sdh.localMediaStream, remote: sdh.remoteMediaStream });
    this.media.set(next);
    // Tracks arrive after the handler: let views re-attach when they do.
    const bump = () => this.media.set(new Map(this.media.get()));
    sdh.remoteMediaStream.addEventListener('addtrack', bump);
    sdh.localMediaStream.addEventListener('addtrack', bump);
  }

  /** Sending tracks follow mute / camera-off / hold; receiving tracks stop while we hold. */
  private applyTracks(id: string): void {
    const session = this.sessions.get(id);
    const view = this.view(id);
    const sdh = session?.sessionDescriptionHandler;
    if (!view || !(sdh instanceof Web.SessionDescriptionHandler) || !sdh.peerConnection) return;
    for (const sender of sdh.peerConnection.getSenders()) {
      if (!sender.track) continue;
      sender.track.enabled = !view.held && (sender.track.kind === 'audio' ? !view.muted : !view.cameraOff);
    }
    for (const receiver of sdh.peerConnection.getReceivers()) receiver.track.enabled = !view.held;
  }

  private end(id: string, reason: string, removeNow = false): void {
    const view = this.view(id);
    this.sessions.delete(id);
    if (!view || view.phase === 'ended') return;
    if (this.media.get().has(id)) {
      const next = new Map(this.media.get());
      next.delete(id);
      this.media.set(next);
    }
    if (view.phase === 'incoming' || removeNow) {
      this.remove(id);
    } else {
      this.update(id, (c) => ({ ...c, phase: 'ended', endReason: reason, pending: false }));
      const timer = setTimeout(() => { this.timers.delete(timer); this.remove(id); }, ENDED_LINGER_MS);
      this.timers.add(timer);
    }
    this.reportActivity();
  }

  /** Tells presence (through the bus) when we enter or leave a call. */
  private reportActivity(): void {
    const inCall = isInCall(this.state.get());
    if (inCall === this.inCall) return;
    this.inCall = inCall;
    this.bus.emit('call/activity', { inCall });
  }

  private view(id: string): CallView | undefined {
    return this.state.get().calls.find((c) => c.id === id);
  }

  private add(call: CallView): void {
    this.state.set((s) => ({ calls: [...s.calls.filter((c) => c.id !== call.id), call] }));
  }

  private update(id: string, change: (call: CallView) => CallView): void {
    this.state.set((s) => (s.calls.some((c) => c.id === id) ? { calls: s.calls.map((c) => (c.id === id ? change(c) : c)) } : s));
  }

  private remove(id: string): void {
    this.state.set((s) => ({ calls: s.calls.filter((c) => c.id !== id) }));
  }
}
