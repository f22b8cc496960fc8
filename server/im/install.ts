/**
 * IM policy on the SIP platform: a MESSAGE handler in front of the router (policy.ts). Installed
 * after contacts, whose commands are MESSAGEs of their own content type, and after the Focus,
 * which takes MESSAGEs to conferences.
 */
import type { ServiceInstaller } from '../services';
import { contactServiceOf } from '../contacts/index';
import { DEFAULT_IM_POLICY, ImPolicy, type ImPolicyOptions } from './policy';

export function imService(overrides: Partial<ImPolicyOptions> = {}): ServiceInstaller {
  return {
    name: 'im',
    async install(ctx) {
      const options = { ...DEFAULT_IM_POLICY, ...overrides };
      // The policy's limit must bite before the parser's, or 413 would never come from here.
      options.maxBodyBytes = Math.min(options.maxBodyBytes, ctx.config.parser.maxBodyBytes);
      ctx.dispatcher.on('MESSAGE', new ImPolicy({ domain: ctx.config.domain, contacts: contactServiceOf(ctx), options }));
    },
  };
}
