/**
 * Presence (issue 5): User Services presence + RTC Aggregate. docs/presence.md has the rules.
 *   presenceService / presenceServiceWith(settings)  the ServiceInstaller (install.ts)
 *   presenceServiceOf(db)                             the running PresenceService of a Front End
 *   PresenceService                                   publications, aggregation, watchers (service.ts)
 *   aggregate(input)                                  the RTC Aggregate, pure (aggregate.ts)
 * Shared types and the PIDF codec: shared/presence.
 */
export { presenceService, presenceServiceWith, presenceServiceOf } from './install';
export { PresenceService, DEFAULT_PRESENCE_SETTINGS, type ContactsPort, type PresenceSettings } from './service';
export { aggregate, type AggregateInput, type EndpointPublication } from './aggregate';
export { PRESENCE_MIGRATIONS } from './store';
