/**
 * INFO to a Focus Factory URI (sip:<user>@<domain>;gruu;opaque=app:conf:focusfactory): the C3P
 * meeting commands. A user talks to their own Focus Factory only.
 */
import { SipError } from '../../sip/message/errors';
import type { RequestContext } from '../../dispatcher/context';
import type { C3pCommand, C3pResult } from '../../../shared/conferencing/c3p';
import type { Logger } from '../../log';
import { answerC3p } from './c3pInfo';
import { C3pError } from './errors';
import type { FocusFactory } from './factory';

export async function handleFactoryRequest(ctx: RequestContext, factory: FocusFactory, log: Logger): Promise<void> {
  const owner = ctx.request.uri.user;
  if (ctx.request.method !== 'INFO') throw new SipError(405, 'Method Not Allowed', [['Allow', 'INFO']]);
  if (!ctx.user || owner !== ctx.user) throw new SipError(403, 'Forbidden (not your Focus Factory)');
  await answerC3p(ctx, log, (c) => run(factory, ctx.user!, c));
}

async function run(factory: FocusFactory, user: string, c: C3pCommand): Promise<C3pResult> {
  switch (c.name) {
    case 'addConference':
      return { meeting: await factory.create(user, c.meeting) };
    case 'modifyConference':
      return { meeting: await factory.modify(user, c.conferenceId, c.changes) };
    case 'getConference':
      if (!c.conferenceId) throw new C3pError('bad-request', 'getConference needs a conferenceId at the Focus Factory.');
      return { meeting: await factory.get(user, c.conferenceId) };
    case 'getConferences':
      return { meetings: await factory.list(user) };
    case 'deleteConference':
      if (!c.conferenceId) throw new C3pError('bad-request', 'deleteConference needs a conferenceId at the Focus Factory.');
      await factory.delete(user, c.conferenceId);
      return {};
    default:
      throw new C3pError('bad-request', `${c.name} is a Focus command: send it to the conference URI.`);
  }
}
