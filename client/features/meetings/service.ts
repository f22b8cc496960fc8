/**
 * The meetings feature's service: the user's meetings from their Focus Factory (C3P), Meet now and
 * scheduling, and the one MeetingController per meeting being attended. Other features may look
 * it up under MEETINGS to turn a call or conversation into a meeting (`meetNow([peer])`).
 */
import { Messager, UserAgent } from 'sip.js';
import type { Meeting, MeetingInput, MeetingPublicInfo } from '../../../shared/conferencing/types';
import { MEETING_PUBLIC_PATH } from '../../../shared/conferencing/types';
import { joinPath } from '../../../shared/conferencing/uri';
import { ServiceKey } from '../base/runtime';
import { Store } from '../base/store';
import { MeetingController } from './controller';
import { focusFactoryCommand } from './focus';

export interface MeetingsState {
  meetings: Meeting[];
  loading: boolean;
  error?: string;
}

export const MEETINGS = new ServiceKey<MeetingsService>('meetings');

export function joinLink(conferenceId: string): string {
  return `${window.location.origin}${joinPath(conferenceId)}`;
}

export async function fetchPublicInfo(conferenceId: string): Promise<MeetingPublicInfo> {
  const res = await fetch(MEETING_PUBLIC_PATH.replace(':conferenceId', encodeURIComponent(conferenceId)));
  if (res.status === 404) throw new Error('There is no such meeting.');
  if (!res.ok) throw new Error(`The meeting could not be looked up (HTTP ${res.status}).`);
  return (await res.json()) as MeetingPublicInfo;
}

export class MeetingsService {
  readonly state = new Store<MeetingsState>({ meetings: [], loading: false });
  readonly controllers = new Map<string, MeetingController>();
  /** The 'meeting/start' intent in progress or failed (StartNotice shows it). */
  readonly starting = new Store<{ busy: boolean; error?: string }>({ busy: false });

  constructor(
    private readonly ua: UserAgent,
    private readonly aor: string,
    private readonly domain: string,
    /** Resolves once the SIP connection is registered (a join link opens before it is). */
    private readonly connected: () => Promise<void> = async () => undefined,
  ) {}

  private async run(command: Parameters<typeof focusFactoryCommand>[3]) {
    await this.connected();
    const r = await focusFactoryCommand(this.ua, this.aor, this.domain, command);
    if (r.code === 'failure') throw new Error(r.message ?? 'The meeting service refused the request.');
    return r;
  }

  async refresh(): Promise<void> {
    this.state.set((s) => ({ ...s, loading: true }));
    try {
      const r = await this.run({ name: 'getConferences' });
      this.state.set({ meetings: r.meetings ?? [], loading: false });
    } catch (e) {
      this.state.set((s) => ({ ...s, loading: false, error: (e as Error).message }));
    }
  }

  async schedule(input: MeetingInput): Promise<Meeting> {
    const r = await this.run({ name: 'addConference', meeting: input });
    await this.refresh();
    return r.meeting!;
  }

  /** An open meeting for now (everyone in the domain may join); invitees get the link by IM. */
  async meetNow(invitees: string[] = []): Promise<Meeting> {
    const m = await this.schedule({ subject: 'Meet now', access: 'open', invitees: invitees.map((user) => ({ user: user.replace(/^sips?:/, '').split('@')[0]!, role: 'presenter' as const })) });
    for (const peer of invitees) this.invite(peer, m);
    return m;
  }

  /** Sends `peer` the join link as an instant message. */
  invite(peer: string, m: Meeting): void {
    const target = UserAgent.makeURI(peer.startsWith('sip:') ? peer : `sip:${peer}@${this.domain}`);
    if (!target) return;
    void new Messager(this.ua, target, `Join my meeting "${m.subject || 'Meeting'}": ${joinLink(m.conferenceId)}`).message().catch(() => undefined);
  }

  async remove(conferenceId: string): Promise<void> {
    await this.run({ name: 'deleteConference', conferenceId });
    await this.refresh();
  }

  /** The controller of a meeting we attend (joined on first use). */
  async attend(conferenceId: string): Promise<MeetingController> {
    const existing = this.controllers.get(conferenceId);
    if (existing && existing.state.get().phase !== 'ended' && existing.state.get().phase !== 'refused') return existing;
    const info = await fetchPublicInfo(conferenceId);
    const c = new MeetingController({ ua: this.ua, aor: this.aor, conferenceUri: info.conferenceUri });
    this.controllers.set(conferenceId, c);
    void this.connected().then(() => c.join());
    return c;
  }

  /** The SIP connection came back: every meeting we are in joins again. */
  rejoinAll(): void {
    for (const c of this.controllers.values()) void c.rejoin();
  }

  close(): void {
    for (const c of this.controllers.values()) c.close();
    this.controllers.clear();
  }
}
