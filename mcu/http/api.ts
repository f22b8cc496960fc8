/**
 * The AV MCU's HTTP API for the Focus (paths and schemas in shared/mcu/http.ts). Server to server:
 * every route but health needs `Authorization: Bearer <MCU_SECRET>`; bodies and parameters are
 * validated against the TypeBox schemas; every failure is `{ error: { code, message } }`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AddUserBody,
  ConferenceParams,
  CreateConferenceBody,
  MCU_API_PATHS,
  MuteBody,
  UserParams,
  type AddUserReply,
  type McuState,
} from '../../shared/mcu/http';
import type { McuLoad } from '../../shared/mcu/factory';
import type { CredentialAuthority } from '../credentials';
import { McuError } from '../errors';
import type { McuLog } from '../log';
import type { Conferences } from '../rooms/conferences';

export interface McuApiDeps {
  mcuId: string;
  secret: string;
  conferences: Conferences;
  credentials: CredentialAuthority;
  /** Longest credential lifetime the Focus may ask for, and the default (ms). */
  credentialTtlMs: number;
  /** Where browsers open signaling (resolved once the server listens). */
  signaling: () => { url: string; path: string };
  load: () => Promise<McuLoad>;
  log: McuLog;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the bearer secret (hashing first makes the lengths equal). */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]!), digest(secret));
}

function send(reply: FastifyReply, error: McuError): void {
  void reply.code(error.status).send({ error: error.toBody() });
}

export function mcuApi(app: FastifyInstance, deps: McuApiDeps): void {
  const { conferences, credentials, log } = deps;

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === MCU_API_PATHS.health) return;
    if (!bearerMatches(request.headers.authorization, deps.secret)) {
      send(reply.header('www-authenticate', 'Bearer realm="mcu"'), new McuError('UNAUTHORIZED'));
      return reply;
    }
  });

  app.setErrorHandler((error: FastifyError | McuError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof McuError) return send(reply, error);
    if (error.validation) return send(reply, new McuError('BAD_REQUEST', `Invalid request: ${error.message}`));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, new McuError('PAYLOAD_TOO_LARGE'));
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, new McuError('BAD_REQUEST', error.message));
    }
    log.error('http request failed', { method: request.method, url: request.url.split('?')[0], err: String(error.stack ?? error) });
    return send(reply, new McuError('INTERNAL'));
  });
  app.setNotFoundHandler((_request, reply) => send(reply, new McuError('NOT_FOUND')));

  app.get(MCU_API_PATHS.health, async () => ({ ok: true, mcuId: deps.mcuId }));

  app.get(MCU_API_PATHS.state, async (): Promise<McuState> => ({
    mcuId: deps.mcuId,
    conferences: conferences.states(),
    load: await deps.load(),
  }));

  app.post<{ Body: CreateConferenceBody }>(MCU_API_PATHS.conferences, { schema: { body: CreateConferenceBody } }, async (request, reply) => {
    const { room, created } = await conferences.create(request.body.conferenceId, request.body.mediaTypes);
    return reply.code(created ? 201 : 200).send(room.state());
  });

  app.get<{ Params: ConferenceParams }>(MCU_API_PATHS.conference, { schema: { params: ConferenceParams } }, async (request) =>
    conferences.require(request.params.conferenceId).state(),
  );

  app.delete<{ Params: ConferenceParams }>(MCU_API_PATHS.conference, { schema: { params: ConferenceParams } }, async (request, reply) => {
    if (!conferences.end(request.params.conferenceId)) throw new McuError('CONFERENCE_NOT_FOUND');
    return reply.code(204).send();
  });

  app.post<{ Params: ConferenceParams; Body: AddUserBody }>(
    MCU_API_PATHS.users,
    { schema: { params: ConferenceParams, body: AddUserBody } },
    async (request, reply): Promise<AddUserReply> => {
      const { conferenceId } = request.params;
      const { userId, displayName, ttlSeconds } = request.body;
      const room = conferences.require(conferenceId);
      const existed = !!room.peer(userId);
      room.addUser(userId, displayName);
      const ttlMs = Math.min(ttlSeconds !== undefined ? ttlSeconds * 1000 : deps.credentialTtlMs, deps.credentialTtlMs);
      const { credential, expiresAt } = credentials.issue(conferenceId, userId, ttlMs);
      const signaling = deps.signaling();
      void reply.code(existed ? 200 : 201);
      return { conferenceId, userId, credential, expiresAt, signalingUrl: signaling.url, signalingPath: signaling.path };
    },
  );

  app.delete<{ Params: UserParams }>(MCU_API_PATHS.user, { schema: { params: UserParams } }, async (request, reply) => {
    if (!conferences.require(request.params.conferenceId).removeUser(request.params.userId)) throw new McuError('USER_NOT_FOUND');
    return reply.code(204).send();
  });

  app.post<{ Params: UserParams; Body: MuteBody }>(
    MCU_API_PATHS.userMute,
    { schema: { params: UserParams, body: MuteBody } },
    async (request) => {
      const room = conferences.require(request.params.conferenceId);
      const peer = await room.setMuted(request.params.userId, request.body.kind, request.body.muted);
      return peer.state();
    },
  );
}
