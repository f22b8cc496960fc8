/**
 * One meeting as this client takes part in it: the join dialog, the roster subscription, the
 * media on the MCU and the group chat, as one state the stage renders. The lobby is a phase: when
 * the roster shows us admitted, media is asked for (addUserMedia) and started. After the SIP
 * connection comes back (a Front End restart), the meeting is joined and subscribed again; media
 * that kept flowing through the MCU is left alone.
 */
import type { UserAgent } from 'sip.js';
import type { C3pCommand, C3pResponse } from '../../../shared/conferencing/c3p';
import type { ConferenceChatMessage, ConferenceView, JoinAnswer, MediaInfo, Role } from '../../../shared/conferencing/types';
import { Store } from '../base/store';
import { FocusError, MeetingDialog, RosterSubscription } from './focus';
import { MeetingMedia } from './media';

export type MeetingPhase = 'joining' | 'lobby' | 'in-meeting' | 'ended' | 'refused';

export interface MeetingState {
  phase: MeetingPhase;
  conferenceUri: string;
  me: string;
  role?: Role;
  view?: ConferenceView;
  chat: ConferenceChatMessage[];
  /** Why we are out (refused, ejected, ended) or what went wrong. */
  notice?: string;
  selfMuted: boolean;
  cameraOff: boolean;
  /** Successful joins so far (2 after the first rejoin following a reconnect). */
  joins: number;
}

export interface MeetingOptions {
  ua: UserAgent;
  aor: string;
  conferenceUri: string;
  /** Camera and microphone (fake devices in tests). */
  getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream>;
}

export class MeetingController {
  readonly state: Store<MeetingState>;
  /** The media of the meeting once started (the stage re-renders when it appears). */
  readonly mediaRef = new Store<MeetingMedia | undefined>(undefined);
  private dialog?: MeetingDialog;
  private roster?: RosterSubscription;
  private startingMedia = false;
  private closed = false;

  constructor(private readonly o: MeetingOptions) {
    const me = o.aor.replace(/^sips?:/, '').split('@')[0]!;
    this.state = new Store<MeetingState>({ phase: 'joining', conferenceUri: o.conferenceUri, me, chat: [], selfMuted: false, cameraOff: false, joins: 0 });
  }

  async join(): Promise<void> {
    let dialog: MeetingDialog;
    try {
      dialog = await MeetingDialog.join(this.o.ua, this.o.aor, this.o.conferenceUri, {
        onChat: (m) => this.state.set((s) => ({ ...s, chat: [...s.chat, m] })),
        onEnded: (reason) => this.ended(reason),
      });
    } catch (e) {
      const reason = e instanceof FocusError ? e.message.replace(/^[A-Za-z ]+ \((.*)\)$/, '$1') : String(e);
      this.state.set((s) => ({ ...s, phase: this.state.get().phase === 'joining' ? 'refused' : s.phase, notice: reason }));
      return;
    }
    if (this.closed) return dialog.leave();
    this.dialog = dialog;
    this.state.set((s) => ({ ...s, joins: s.joins + 1, notice: undefined }));
    this.applyAnswer(dialog.answer);
    if (!this.roster) {
      this.roster = new RosterSubscription(this.o.ua, this.o.conferenceUri, (view) => this.rosterChanged(view));
      this.roster.start();
    } else {
      this.roster.restart();
    }
  }

  /** The SIP connection is back (new flow): join and subscribe again; the Focus resumes from its DB. */
  async rejoin(): Promise<void> {
    const joins = this.state.get().joins;
    // The connection may drop again while we try: a few attempts with growing pauses.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.closed || this.state.get().phase === 'ended' || this.state.get().phase === 'refused') return;
      await this.join();
      if (this.state.get().joins > joins) return;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }

  private applyAnswer(a: JoinAnswer): void {
    this.state.set((s) => ({ ...s, role: a.role, phase: a.status === 'pending' ? 'lobby' : 'in-meeting' }));
    if (a.status === 'connected' && a.media?.length && !this.media?.state.get().connected) void this.startMedia(a.media);
  }

  private rosterChanged(view: ConferenceView): void {
    const mine = view.participants.find((p) => p.user === this.state.get().me);
    this.state.set((s) => ({ ...s, view, ...(mine ? { role: mine.role } : {}) }));
    if (mine?.status === 'connected' && this.state.get().phase === 'lobby') {
      // Admitted from the lobby: now ask for media.
      this.state.set((s) => ({ ...s, phase: 'in-meeting' }));
      void this.command({ name: 'addUserMedia', mediaTypes: ['audio', 'video', 'screen'] }).then((r) => r.media && this.startMedia(r.media));
    }
  }

  private async startMedia(info: MediaInfo[]): Promise<void> {
    const first = info[0];
    if (!first || this.startingMedia || this.closed) return;
    this.startingMedia = true;
    try {
      this.media?.close();
      const media = new MeetingMedia(first, this.state.get().me);
      this.mediaRef.set(media);
      const gum = this.o.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
      let stream: MediaStream | undefined;
      try {
        stream = await gum({ audio: true, video: { width: 640, height: 360 } });
      } catch {
        this.state.set((s) => ({ ...s, notice: 'No camera or microphone: you can watch and listen.' }));
      }
      const tracks = [
        ...(stream?.getAudioTracks().slice(0, 1).map((track) => ({ track, source: 'mic' as const })) ?? []),
        ...(stream?.getVideoTracks().slice(0, 1).map((track) => ({ track, source: 'camera' as const })) ?? []),
      ];
      this.localStream.set(stream);
      await media.start(tracks);
    } catch (e) {
      this.state.set((s) => ({ ...s, notice: `Media could not start: ${e instanceof Error ? e.message : String(e)}` }));
    } finally {
      this.startingMedia = false;
    }
  }

  readonly localStream = new Store<MediaStream | undefined>(undefined);

  get media(): MeetingMedia | undefined {
    return this.mediaRef.get();
  }

  /** A C3P command; a failure comes back as the response (code `failure`, reason, message). */
  async command(c: C3pCommand): Promise<C3pResponse> {
    if (!this.dialog) return { requestId: '0', command: c.name, code: 'failure', reason: 'not-found', message: 'Not in the meeting.' };
    try {
      const r = await this.dialog.command(c);
      if (r.code === 'failure') this.state.set((s) => ({ ...s, notice: r.message ?? 'The command was refused.' }));
      return r;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.state.set((s) => ({ ...s, notice: message }));
      return { requestId: '0', command: c.name, code: 'failure', reason: 'internal', message };
    }
  }

  async chat(text: string): Promise<void> {
    if (!this.dialog || text.trim() === '') return;
    const me = this.state.get().me;
    const own = this.state.get().view?.participants.find((p) => p.user === me);
    this.state.set((s) => ({ ...s, chat: [...s.chat, { from: me, displayName: own?.displayName ?? me, text, at: Date.now() }] }));
    await this.dialog.chat(text).catch((e: unknown) => this.state.set((s) => ({ ...s, notice: e instanceof Error ? e.message : String(e) })));
  }

  async toggleSelfMute(): Promise<void> {
    const muted = !this.state.get().selfMuted;
    await this.media?.setPaused('mic', muted).catch(() => undefined);
    this.state.set((s) => ({ ...s, selfMuted: muted }));
  }

  async toggleCamera(): Promise<void> {
    const off = !this.state.get().cameraOff;
    await this.media?.setPaused('camera', off).catch(() => undefined);
    this.state.set((s) => ({ ...s, cameraOff: off }));
  }

  async shareScreen(): Promise<void> {
    if (!this.media) return;
    if (this.media.state.get().sharing) return this.media.stopScreen();
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = stream.getVideoTracks()[0];
      if (track) await this.media.shareScreen(track);
    } catch {
      this.state.set((s) => ({ ...s, notice: 'Screen sharing was cancelled.' }));
    }
  }

  leave(): void {
    this.dialog?.leave();
    this.ended('You left the meeting.');
  }

  private ended(reason: string): void {
    this.roster?.stop();
    this.media?.close();
    this.localStream.get()?.getTracks().forEach((t) => t.stop());
    this.state.set((s) => ({ ...s, phase: 'ended', notice: reason }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.state.get().phase !== 'ended') this.leave();
  }
}
