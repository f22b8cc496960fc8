/**
 * Calls: 1:1 audio/video over SIP INVITE + WebRTC. Other features ask for a call with the
 * 'call/start' intent; presence hears 'call/activity'.
 */
import { registerFeature } from '../base/registry';
import { CallManager } from './call-manager';
import { CallOverlay } from './components/CallOverlay';
import { CALLS } from './service';

registerFeature({
  id: 'calls',
  start(ctx) {
    const manager = new CallManager(ctx.sip, ctx.bus, ctx.people, ctx.user.uri);
    const stopManager = manager.start();
    const withdraw = ctx.services.provide(CALLS, manager);
    const offIntent = ctx.bus.on('call/start', ({ uri, displayName, video }) => {
      manager.call(uri, displayName ?? uri.replace(/^sips?:/, '').replace(/@.*$/, ''), video);
    });
    return () => {
      offIntent();
      withdraw();
      stopManager();
    };
  },
  overlays: [CallOverlay],
});
