/**
 * Meetings: Meet now, scheduling (Focus Factory over C3P), the join link `/join/<id>`, the guest
 * page, the lobby and the meeting stage (Focus + AV MCU). Other features reach it through the
 * MEETINGS service (e.g. `meetNow([peer])` to turn a call or conversation into a meeting).
 */
import { createElement } from 'react';
import { registerFeature } from '../base/registry';
import { MeetingsPanel } from './components/MeetingsPanel';
import { MeetingView } from './components/MeetingView';
import { StartNotice } from './components/StartNotice';
import { MEETINGS, MeetingsService } from './service';
import './meetings.css';

export { MEETINGS, type MeetingsService } from './service';
export { GuestJoinPage } from './components/GuestJoinPage';

export { joinRouteId } from './routes';
import { joinRouteId } from './routes';

function MeetingsIcon() {
  return createElement('svg', { viewBox: '0 0 20 20', width: 20, height: 20, 'aria-hidden': true },
    createElement('path', { fill: 'currentColor', d: 'M3 5.5A1.5 1.5 0 0 1 4.5 4h7A1.5 1.5 0 0 1 13 5.5v1.7l3.2-2A.5.5 0 0 1 17 5.6v8.8a.5.5 0 0 1-.8.4L13 12.8v1.7a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 14.5v-9Z' }));
}

registerFeature({
  id: 'meetings',
  start(ctx) {
    const registered = () =>
      ctx.sip.state === 'registered'
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const off = ctx.sip.onRegistered(() => {
              off();
              resolve();
            });
          });
    const service = new MeetingsService(ctx.sip.userAgent, ctx.user.uri, ctx.domain, registered);
    const withdraw = ctx.services.provide(MEETINGS, service);
    const offRestored = ctx.bus.on('connection/restored', () => service.rejoinAll());
    // "Meet now" from a conversation or a call: the meeting opens here, the peers get the link by IM.
    const offStart = ctx.bus.on('meeting/start', ({ with: peers }) => {
      if (service.starting.get().busy) return;
      service.starting.set({ busy: true });
      service.meetNow(peers).then((m) => {
        service.starting.set({ busy: false });
        ctx.nav.open('meeting', m.conferenceId, 'meetings');
        ctx.bus.emit('meeting/started', { conferenceId: m.conferenceId, with: peers });
      }, (e: unknown) => service.starting.set({ busy: false, error: `The meeting could not be started: ${e instanceof Error ? e.message : String(e)}` }));
    });
    // A join link opened while signed in goes straight to the meeting.
    const id = joinRouteId(window.location.pathname);
    if (id) ctx.nav.open('meeting', id, 'meetings');
    return () => {
      offStart();
      offRestored();
      withdraw();
      service.close();
    };
  },
  rail: [{ id: 'meetings', label: 'Meetings', order: 40, Icon: MeetingsIcon, Panel: MeetingsPanel }],
  views: [{ id: 'meeting', Component: MeetingView, wide: true }],
  overlays: [StartNotice],
});
