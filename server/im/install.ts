/**
 * IM policy on the SIP platform: a MESSAGE handler in front of the router (policy.ts). Installed
 * after contacts, whose commands are MESSAGEs of their own content type, and after the Focus,
 * which takes MESSAGEs to conferences.
 */
import type { ServiceInstaller } from '../services';
import { contactServiceOf } from '../contacts/index';
import { DEFAULT_IM_POLICY, ImPolicy, type ImPolicyOptions } from './policy';
import { SentCopies } from './sent-copies';

export function imService(overrides: Partial<ImPolicyOptions> = {}): ServiceInstaller {
  return {
    name: 'im',
    async install(ctx) {
      const options = { ...DEFAULT_IM_POLICY, ...overrides };
      // The policy's limit must bite before the parser's, or 413 would never come from here.
      options.maxBodyBytes = Math.min(options.maxBodyBytes, ctx.config.parser.maxBodyBytes);
      const sentCopies = new SentCopies({
        domain: ctx.config.domain,
        serverName: ctx.config.serverName,
        location: ctx.location,
        transport: ctx.transport,
        transactions: ctx.transactions,
        localAddress: (flow) => ctx.localAddress(flow),
        log: ctx.log.child('im'),
        pool: ctx.pool.routing,
      });
      ctx.dispatcher.on('MESSAGE', new ImPolicy({ domain: ctx.config.domain, contacts: contactServiceOf(ctx), options, sentCopies }));
    },
  };
}
