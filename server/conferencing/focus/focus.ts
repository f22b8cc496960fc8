/**
 * One Focus per active conference (seed: "the Focus ... enforces the conference's policies, keeps
 * the roster, roles and privileges, activates media on MCUs"). Its state is the meeting row and
 * the roster in the DB, written before anyone is told, so a Focus built on another Front End (or
 * after a restart) from the DB carries on; only dialogs and subscriptions live in memory, and the
 * clients re-create them by joining and subscribing again.
 */
import type { Subscription } from '../../sip/dialog/index';
import type { LocalAddress } from '../../sip/proxy/flow-token';
import type { TransactionLayer } from '../../sip/transaction/types';
import { SipError } from '../../sip/message/errors';
import type { C3pCommand, C3pResult } from '../../../shared/conferencing/c3p';
import { CONFERENCE_IM_CONTENT_TYPE, type ConferenceChatMessage, type ConferenceView, type JoinAnswer, type MediaType, type Privilege, type Role } from '../../../shared/conferencing/types';
import { C3pError } from '../focus-factory/errors';
import type { MeetingStore, StoredMeeting, StoredParticipant } from '../focus-factory/store';
import type { Logger } from '../../log';
import type { ConferenceMedia } from './media';
import { ConferenceNotifier } from './notifier';
import type { JoinDialog } from './inviteDialog';

export interface FocusDeps {
  store: MeetingStore;
  media: ConferenceMedia;
  transactions: TransactionLayer;
  localAddress(dialog: JoinDialog): LocalAddress;
  domain: string;
  log: Logger;
  now(): number;
  /** The registry forgets this Focus (meeting ended). */
  onEnded(): void;
  /**
   * How long someone whose connection went away (or who has not rejoined a resumed Focus) stays on
   * the roster before being dropped: long enough to reconnect and rejoin after a Front End restart.
   */
  rejoinGraceMs: number;
}

export interface Joiner {
  user: string;
  displayName: string;
  /** Has no account: a guest of this conference, admitted by the PIN, waits in the lobby. */
  guest: boolean;
}

export class Focus {
  private readonly participants = new Map<string, StoredParticipant>();
  private readonly dialogs = new Map<string, JoinDialog>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  readonly notifier: ConferenceNotifier;
  private ended = false;
  /** One state change at a time, so DB writes and notifications keep their order. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private meeting: StoredMeeting,
    roster: StoredParticipant[],
    private readonly deps: FocusDeps,
  ) {
    for (const p of roster) this.participants.set(p.user, p);
    this.notifier = new ConferenceNotifier(deps.domain, () => this.view());
  }

  static async load(meeting: StoredMeeting, deps: FocusDeps): Promise<Focus> {
    const focus = new Focus(meeting, await deps.store.participants(meeting.conferenceId), deps);
    // Resumed from the DB (restart, another Front End): everyone present has a while to rejoin.
    for (const p of focus.participants.values()) if (p.status !== 'disconnected') focus.expectRejoin(p.user);
    return focus;
  }

  /** A flow closed: its participants are dropped unless they rejoin within the grace period. */
  flowClosed(flowId: string): void {
    for (const [user, d] of this.dialogs) if (d.flow.id === flowId) this.expectRejoin(user);
  }

  private expectRejoin(user: string): void {
    if (this.graceTimers.has(user) || this.ended) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(user);
      void this.serial(async () => {
        const d = this.dialogs.get(user);
        if (d && !d.flow.closed) return; // rejoined meanwhile
        this.dialogs.delete(user);
        await this.drop(user);
      }).catch((err: unknown) => this.deps.log.warn('dropping a participant who did not rejoin failed', { user, err }));
    }, this.deps.rejoinGraceMs);
    timer.unref();
    this.graceTimers.set(user, timer);
  }

  private cancelGrace(user: string): void {
    const t = this.graceTimers.get(user);
    if (t) clearTimeout(t);
    this.graceTimers.delete(user);
  }

  /** Stops timers (the registry forgets this Focus; the DB keeps its state). */
  dispose(): void {
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
  }

  get conferenceId(): string {
    return this.meeting.conferenceId;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  view(): ConferenceView {
    const m = this.meeting;
    return {
      conferenceId: m.conferenceId,
      uri: m.uri,
      subject: m.subject,
      organizer: m.organizer,
      locked: m.locked,
      active: !this.ended,
      participants: [...this.participants.values()].filter((p) => !p.ejected || p.status === 'pending').map(({ ejected: _e, ...p }) => p),
    };
  }

  participant(user: string): StoredParticipant | undefined {
    return this.participants.get(user);
  }

  dialogOf(user: string): JoinDialog | undefined {
    return this.dialogs.get(user);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * An INVITE to the conference URI. Enforces expiry, the authorization type and the lock; people
   * not admitted yet (guests, anyone ejected before) are placed in the lobby (status `pending`).
   * Throws SipError with the reason when refused.
   */
  join(who: Joiner, dialog: JoinDialog): Promise<JoinAnswer> {
    return this.serial(async () => {
      const m = this.meeting;
      if (this.ended) throw new SipError(404, 'Not Found (the meeting has ended)');
      if (m.expiresAt <= this.deps.now()) throw new SipError(410, 'Gone (the meeting has expired)');
      const existing = this.participants.get(who.user);
      const admittedBefore = !!existing && existing.status !== 'pending' && !existing.ejected;
      const invitee = m.invitees.find((i) => i.user === who.user);
      const isOrganizer = !who.guest && who.user === m.organizer;
      if (who.guest && m.access !== 'anonymous') throw new SipError(403, 'Forbidden (this meeting does not admit guests)');
      if (!isOrganizer && !who.guest && m.access === 'closed' && !invitee && !admittedBefore) {
        throw new SipError(403, 'Forbidden (this meeting is for invited people only)');
      }
      if (m.locked && !isOrganizer && !admittedBefore) throw new SipError(403, 'Forbidden (the meeting is locked)');
      const role: Role = isOrganizer ? 'organizer' : (existing?.role ?? invitee?.role ?? 'attendee');
      const lobby = !isOrganizer && !admittedBefore && (who.guest || !!existing?.ejected);
      const p: StoredParticipant = {
        user: who.user,
        displayName: who.displayName,
        role,
        status: lobby ? 'pending' : 'connected',
        guest: who.guest,
        mutedByFocus: existing?.mutedByFocus ?? [],
        media: existing?.media ?? [],
        ejected: existing?.ejected ?? false,
      };
      await this.save(p);
      const old = this.dialogs.get(who.user);
      if (old && old !== dialog) old.closed = true; // replaced by the new join (e.g. after a reconnect)
      this.dialogs.set(who.user, dialog);
      this.cancelGrace(who.user);
      if (!m.active) {
        m.active = true;
        await this.deps.store.setActive(m.conferenceId, true);
      }
      const answer: JoinAnswer = { conferenceId: m.conferenceId, user: p.user, role: p.role, status: p.status };
      if (p.status === 'connected') {
        try {
          answer.media = await this.activate(p, m.mediaTypes);
        } catch (err) {
          // Joining still works without media (roster, chat); the client may ask again with addUserMedia.
          this.deps.log.warn('media activation at join failed', { conferenceId: m.conferenceId, err });
        }
      }
      this.notifier.changed([p.user]);
      return answer;
    });
  }

  /** BYE from a participant: off the roster and off the MCU. */
  leave(user: string, dialog: JoinDialog): Promise<void> {
    return this.serial(async () => {
      if (this.dialogs.get(user) !== dialog) return;
      this.dialogs.delete(user);
      dialog.closed = true;
      await this.drop(user);
    });
  }

  /**
   * Group chat (the Focus as the IM MCU): relayed in the join dialog of every other admitted
   * participant, so the roster is the audience. Resolves with how many it reached.
   */
  async chat(user: string, text: string): Promise<number> {
    const me = this.participants.get(user);
    if (!me || me.status !== 'connected' || me.ejected) throw new SipError(403, 'Forbidden (only people in the meeting can chat)');
    const msg: ConferenceChatMessage = { from: user, displayName: me.displayName, text, at: this.deps.now() };
    const body = Buffer.from(JSON.stringify(msg));
    const targets = [...this.dialogs.entries()].filter(([u]) => u !== user && this.participants.get(u)?.status === 'connected');
    const results = await Promise.all(targets.map(([, d]) => d.request(this.deps.transactions, this.deps.localAddress(d), 'MESSAGE', { body, contentType: CONFERENCE_IM_CONTENT_TYPE })));
    return results.filter((s) => s >= 200 && s < 300).length;
  }

  subscribe(sub: Subscription, user: string): void {
    this.notifier.add(sub, user);
  }

  /** A C3P command from `user`, privileges checked (refusals are C3pErrors saying why). */
  command(user: string, c: C3pCommand): Promise<C3pResult> {
    return this.serial(async () => {
      if (this.ended) throw new C3pError('not-found', 'The meeting has ended.');
      const me = this.participants.get(user);
      if (!me || me.ejected) throw new C3pError('forbidden', 'Join the meeting first.');
      if (me.status === 'pending') throw new C3pError('forbidden', 'You are waiting in the lobby.');
      switch (c.name) {
        case 'getConference':
          return { conference: this.view() };
        case 'addUserMedia': {
          const types = c.mediaTypes.filter((t) => this.meeting.mediaTypes.includes(t));
          if (types.length === 0) throw new C3pError('bad-request', `This meeting carries ${this.meeting.mediaTypes.join(', ')} only.`);
          return { media: await this.activate(me, types) };
        }
        case 'muteUser': {
          const target = this.target(c.user);
          const releasingOwnFocusMute = target === me && !c.muted && me.mutedByFocus.includes(c.kind);
          if (target !== me || releasingOwnFocusMute) this.require(me, 'mute-others', target === me ? 'You were muted by a presenter; only a presenter can unmute you.' : 'An attendee cannot mute others.');
          await this.setMuted([target], c.kind, c.muted);
          return {};
        }
        case 'muteAll': {
          this.require(me, 'mute-all', 'Only presenters can mute everyone.');
          const targets = [...this.participants.values()].filter((p) => p !== me && p.role !== 'organizer' && p.status === 'connected');
          await this.setMuted(targets, c.kind, c.muted);
          return {};
        }
        case 'deleteUser': {
          const target = this.target(c.user);
          if (target !== me) this.require(me, 'eject', 'Only presenters can remove people from the meeting.');
          if (target.role === 'organizer' && target !== me) throw new C3pError('forbidden', 'The organizer cannot be removed.');
          await this.eject(target);
          return {};
        }
        case 'modifyConferenceLock':
          this.require(me, 'lock', 'Only presenters can lock the meeting.');
          this.meeting.locked = c.locked;
          await this.deps.store.setLocked(this.conferenceId, c.locked);
          this.notifier.changed([], true);
          return {};
        case 'setLobbyAccess': {
          this.require(me, 'admit', 'Only presenters can admit people from the lobby.');
          const target = this.target(c.user);
          if (target.status !== 'pending') throw new C3pError('conflict', `${target.displayName} is not in the lobby.`);
          if (c.admit) {
            target.status = 'connected';
            target.ejected = false;
            await this.save(target);
            this.notifier.changed([target.user]);
          } else {
            await this.eject(target, 'You were not admitted to the meeting.');
          }
          return {};
        }
        case 'modifyUserRole': {
          this.require(me, 'change-role', 'Only presenters can change roles.');
          const target = this.target(c.user);
          if (c.role === 'organizer' || target.role === 'organizer') throw new C3pError('forbidden', 'The organizer role cannot be given or taken.');
          target.role = c.role;
          await this.save(target);
          this.notifier.changed([target.user]);
          return {};
        }
        case 'deleteConference':
          this.require(me, 'end', 'Only the organizer can end the meeting for everyone.');
          await this.endNow('The organizer ended the meeting.');
          await this.deps.store.delete(this.conferenceId);
          return {};
        default:
          throw new C3pError('bad-request', `${c.name} is a Focus Factory command.`);
      }
    });
  }

  /** The meeting is over (ended, deleted, expired): everyone is sent BYE, the MCU conference goes. */
  end(reason: string): Promise<void> {
    return this.serial(() => this.endNow(reason));
  }

  private async endNow(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.notifier.changed([], true);
    await this.notifier.close(undefined, 'noresource');
    await Promise.all([...this.dialogs.values()].map((d) => d.bye(this.deps.transactions, this.deps.localAddress(d), reason)));
    this.dialogs.clear();
    this.dispose();
    await this.deps.media.end();
    this.deps.onEnded();
  }

  private require(me: StoredParticipant, privilege: Privilege, why: string): void {
    if (!this.meeting.privileges[me.role]?.includes(privilege)) throw new C3pError('forbidden', why);
  }

  private target(user: string): StoredParticipant {
    const t = this.participants.get(user);
    if (!t || (t.ejected && t.status !== 'pending')) throw new C3pError('not-found', `${user} is not in the meeting.`);
    return t;
  }

  private async activate(p: StoredParticipant, types: MediaType[]) {
    const media = await this.deps.media.activate(p.user, p.displayName, types, this.meeting.mediaTypes, p.mutedByFocus);
    const all = new Set([...p.media, ...media.flatMap((x) => x.mediaTypes)]);
    p.media = [...all];
    await this.save(p);
    return media;
  }

  private async setMuted(targets: StoredParticipant[], kind: 'audio' | 'video', muted: boolean): Promise<void> {
    for (const t of targets) {
      await this.deps.media.mute(t.user, kind, muted);
      t.mutedByFocus = muted ? [...new Set([...t.mutedByFocus, kind])] : t.mutedByFocus.filter((k) => k !== kind);
      await this.save(t);
    }
    this.notifier.changed(targets.map((t) => t.user));
  }

  /** Off the MCU, BYE, subscriptions ended; coming back means the lobby. */
  private async eject(target: StoredParticipant, reason = 'You were removed from the meeting.'): Promise<void> {
    await this.deps.media.remove(target.user);
    target.ejected = true;
    target.status = 'disconnected';
    target.media = [];
    await this.save(target);
    this.notifier.changed([target.user]);
    await this.notifier.close(target.user, 'rejected');
    const d = this.dialogs.get(target.user);
    this.dialogs.delete(target.user);
    if (d) await d.bye(this.deps.transactions, this.deps.localAddress(d), reason);
  }

  private async drop(user: string): Promise<void> {
    const p = this.participants.get(user);
    if (!p) return;
    await this.deps.media.remove(user);
    if (p.ejected) {
      p.status = 'disconnected';
      await this.save(p);
    } else {
      // Roles and Focus mutes are kept in the meeting's memory only while present; a leaver rejoins afresh.
      this.participants.delete(user);
      await this.deps.store.deleteParticipant(this.conferenceId, user);
    }
    this.notifier.changed([user]);
  }

  private async save(p: StoredParticipant): Promise<void> {
    this.participants.set(p.user, p);
    await this.deps.store.saveParticipant(this.conferenceId, p, this.deps.now());
  }
}
