/**
 * The Factory's HTTP side, for MCUs (shared/mcu/factory.ts; the client is mcu/factory/):
 *
 *   POST   /v1/mcus                McuRegistration -> 201 (new) / 200 (again) { mcuId, loadIntervalMs? }
 *   PUT    /v1/mcus/:mcuId/load    McuLoad         -> 204; 404 MCU_NOT_FOUND: register again
 *   DELETE /v1/mcus/:mcuId         goodbye         -> 204; 404 when unknown
 *
 * Paths are relative to where the plugin is registered (MCU_FACTORY_URL keeps its path prefix).
 * Every route needs `Authorization: Bearer <MCU secret>` (else 401). Bodies and parameters are
 * checked with TypeBox's compiler, strictly and independently of the host app's Ajv settings
 * (which strip unknown properties instead of refusing them). Errors: `{ error: { code, message } }`.
 * Encapsulated: its hooks, validator and error handler apply to these routes only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index';
import { FACTORY_PATHS, McuLoad, McuRegistration, type McuRegistrationReply } from '../../../shared/mcu/factory';
import { FactoryHttpError } from './errors';
import { DEFAULT_SILENT_AFTER_MS, type FactoryLog } from './factory';
import { McuStore } from './store';

export interface ConferencingFactoryPluginOptions {
  db: Pick<Db, 'sql' | 'queue'>;
  /** The shared server secret the MCUs send as Bearer (MCU_SECRET). */
  secret: string;
  log: FactoryLog;
  now?: () => number;
  /** As given to ConferencingServerFactory; registrations silent ten times longer are pruned. */
  silentAfterMs?: number;
  /** When set, asked of every MCU in the registration reply (500..600000 ms). */
  loadIntervalMs?: number;
}

const McuParams = Type.Object({ mcuId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
type McuParams = Static<typeof McuParams>;

/** Registrations and reports are a few hundred bytes; a worker list of 64 stays far below this. */
const BODY_LIMIT = 32 * 1024;
/** Registrations not heard from for this many silence timeouts are deleted (at least 10 minutes). */
const PRUNE_AFTER_SILENCES = 10;
const MIN_PRUNE_AFTER_MS = 10 * 60_000;

const MIN_LOAD_INTERVAL_MS = 500;
const MAX_LOAD_INTERVAL_MS = 600_000;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time bearer check (hashing first makes the lengths equal). */
function bearerMatches(header: string | undefined, secretDigest: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]!), secretDigest);
}

/** A body or parameter that does not match its schema. */
class SchemaMismatch extends Error {
  override readonly name = 'SchemaMismatch';
}

function typeboxValidator({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  const check = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First();
    const where = first?.path ? `${httpPart ?? 'request'}${first.path}` : (httpPart ?? 'request');
    return { error: new SchemaMismatch(`Invalid ${where}: ${first?.message ?? 'does not match the schema'}`) };
  };
}

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

function toFactoryError(error: FastifyError | Error): FactoryHttpError | undefined {
  if (error instanceof FactoryHttpError) return error;
  if (error instanceof SchemaMismatch) return new FactoryHttpError('BAD_REQUEST', error.message);
  const e = error as FastifyError;
  if (e.validation) return new FactoryHttpError('BAD_REQUEST', `Invalid request: ${e.message}`);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new FactoryHttpError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new FactoryHttpError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new FactoryHttpError('BAD_REQUEST', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new FactoryHttpError('BAD_REQUEST', e.message);
  return undefined;
}

export async function conferencingFactoryPlugin(app: FastifyInstance, opts: ConferencingFactoryPluginOptions): Promise<void> {
  if (typeof opts.secret !== 'string' || opts.secret.length < 16) {
    throw new Error('conferencingFactoryPlugin: the MCU secret must be at least 16 characters');
  }
  const interval = opts.loadIntervalMs;
  if (interval !== undefined && !(Number.isInteger(interval) && interval >= MIN_LOAD_INTERVAL_MS && interval <= MAX_LOAD_INTERVAL_MS)) {
    // The MCU ignores a reply outside the range McuRegistrationReply allows.
    throw new Error(`conferencingFactoryPlugin: loadIntervalMs must be an integer in ${MIN_LOAD_INTERVAL_MS}..${MAX_LOAD_INTERVAL_MS}`);
  }
  const store = new McuStore(opts.db);
  const now = opts.now ?? Date.now;
  const secretDigest = digest(opts.secret);
  const { log } = opts;
  const pruneAfterMs = Math.max(MIN_PRUNE_AFTER_MS, PRUNE_AFTER_SILENCES * (opts.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS));

  // MCUs speak JSON only: other bodies get 415 rather than reaching the schema as strings.
  if (app.hasContentTypeParser('text/plain')) app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(typeboxValidator);
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const known = toFactoryError(error);
    if (known) {
      if (known.status === 401) void reply.header('www-authenticate', 'Bearer realm="mcu-factory"');
      return reply.code(known.status).send(known.toBody());
    }
    log.error('conferencing factory request failed', { method: request.method, path: request.url.split('?')[0], err: String(error.stack ?? error) });
    return reply.code(500).send(new FactoryHttpError('INTERNAL').toBody());
  });
  app.addHook('onRequest', async (request) => {
    if (!bearerMatches(request.headers.authorization, secretDigest)) throw new FactoryHttpError('UNAUTHORIZED');
  });

  app.post<{ Body: McuRegistration }>(
    FACTORY_PATHS.register,
    { schema: { body: McuRegistration }, bodyLimit: BODY_LIMIT },
    async (request, reply): Promise<McuRegistrationReply> => {
      const registration = request.body;
      // The Focus sends the shared secret to this URL: only plain http(s) base URLs are taken.
      if (!httpUrl(registration.apiUrl)) throw new FactoryHttpError('BAD_REQUEST', 'Invalid body/apiUrl: expected an http(s) URL without credentials');
      const created = await store.register(registration, now());
      log.info(created ? 'MCU registered' : 'MCU registered again', {
        mcuId: registration.mcuId,
        kind: registration.kind,
        mediaTypes: registration.mediaTypes.join(','),
        workers: registration.capacity.workers,
      });
      store.prune(now() - pruneAfterMs).then(
        (pruned) => pruned.mcus + pruned.assignments > 0 && log.info('pruned long-silent MCUs', pruned),
        (err: unknown) => log.warn('pruning silent MCUs failed', { err: String(err) }),
      );
      void reply.code(created ? 201 : 200);
      return { mcuId: registration.mcuId, ...(opts.loadIntervalMs !== undefined ? { loadIntervalMs: opts.loadIntervalMs } : {}) };
    },
  );

  app.put<{ Params: McuParams; Body: McuLoad }>(
    FACTORY_PATHS.load,
    { schema: { params: McuParams, body: McuLoad }, bodyLimit: BODY_LIMIT },
    async (request, reply) => {
      const { mcuId } = request.params;
      if (request.body.mcuId !== mcuId) throw new FactoryHttpError('BAD_REQUEST', 'Invalid body/mcuId: does not match the path');
      if (!(await store.reportLoad(mcuId, request.body, now()))) throw new FactoryHttpError('MCU_NOT_FOUND');
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: McuParams }>(FACTORY_PATHS.mcu, { schema: { params: McuParams } }, async (request, reply) => {
    const { mcuId } = request.params;
    if (!(await store.remove(mcuId))) throw new FactoryHttpError('MCU_NOT_FOUND');
    log.info('MCU signed off', { mcuId });
    return reply.code(204).send();
  });
}
