/**
 * Answers a C3P request carried in an INFO (RFC 6086 carries it; the Content-Type names it): a
 * body that is not C3P gets 415/400, a command gets 200 with the C3P response, `failure` with a
 * reason when it was refused (C3pError) and `internal` when it failed otherwise.
 */
import { SipError } from '../../sip/message/errors';
import type { RequestContext } from '../../dispatcher/context';
import { buildC3pResponse, C3pParseError, parseC3pRequest, peekC3pRequest, type C3pCommand, type C3pCommandName, type C3pResult } from '../../../shared/conferencing/c3p';
import { C3P_CONTENT_TYPE } from '../../../shared/conferencing/types';
import type { Logger } from '../../log';
import { C3pError } from './errors';

export async function answerC3p(ctx: RequestContext, log: Logger, run: (command: C3pCommand) => Promise<C3pResult>, toTag?: string): Promise<void> {
  const type = (ctx.request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== C3P_CONTENT_TYPE) throw new SipError(415, 'Unsupported Media Type', [['Accept', C3P_CONTENT_TYPE]]);
  const xml = ctx.request.body.toString('utf8');
  let requestId = '0';
  let command: C3pCommandName | 'unknown' = 'unknown';
  const reply = (body: string) => ctx.respond(200, 'OK', { body: Buffer.from(body), contentType: C3P_CONTENT_TYPE, toTag });
  try {
    const req = parseC3pRequest(xml);
    requestId = req.requestId;
    command = req.command.name;
    const result = await run(req.command);
    reply(buildC3pResponse({ requestId, command, code: 'success', ...result }));
  } catch (err) {
    if (err instanceof C3pParseError) {
      const peek = peekC3pRequest(xml);
      reply(buildC3pResponse({ requestId: peek.requestId, command: /^[A-Za-z]+$/.test(peek.command) ? (peek.command as C3pCommandName) : 'unknown', code: 'failure', reason: 'bad-request', message: err.message }));
    } else if (err instanceof C3pError) {
      reply(buildC3pResponse({ requestId, command, code: 'failure', reason: err.code, message: err.message }));
    } else {
      log.error('C3P command failed', { command, err });
      reply(buildC3pResponse({ requestId, command, code: 'failure', reason: 'internal', message: 'The server could not carry out the command.' }));
    }
  }
}
