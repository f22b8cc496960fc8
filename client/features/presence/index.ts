/**
 * Presence: publishes my status (menu, note, automatic Away, "In a call" from 'call/activity') and
 * reports everyone's presence into the runtime's People store for the other features to show.
 */
import { registerFeature } from '../base/registry';
import { MeStatus } from './components/MeStatus';
import { PresenceService } from './presence-service';
import { PRESENCE } from './service';
import './presence.css';

registerFeature({
  id: 'presence',
  start(ctx) {
    const service = new PresenceService(ctx);
    const stop = service.start();
    const withdraw = ctx.services.provide(PRESENCE, service);
    return () => {
      withdraw();
      stop();
    };
  },
  sideHeader: MeStatus,
});
