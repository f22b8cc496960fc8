/**
 * socket.io signaling for browsers. Admission: the handshake carries `auth.credential`; only a
 * genuine, unexpired credential for a conference and user the Focus admitted gets a connection
 * (otherwise `connect_error` with the McuErrorCode as message and `{ code, message }` as data).
 * Every request is checked against its schema (shared/mcu/signaling.ts) before its handler
 * runs; any failure is an error acknowledgement, never a crash.
 */
import type { Server as HttpServer } from 'node:http';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { Server, type Socket } from 'socket.io';
import {
  SignalingRequestSchemas,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SignalingMethod,
} from '../../shared/mcu/signaling';
import type { PeerLimits } from '../config';
import type { CredentialAuthority } from '../credentials';
import { McuError, toMcuError } from '../errors';
import type { McuLog } from '../log';
import type { Conferences } from '../rooms/conferences';
import type { PeerChannel } from '../rooms/peer';
import { SIGNALING_HANDLERS } from './handlers';
import type { Handler, HandlerContext } from './handlers/context';

interface SocketData {
  conferenceId: string;
  userId: string;
}
type McuSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SignalingOptions {
  path: string;
  corsOrigins: string[] | true;
  credentials: CredentialAuthority;
  conferences: Conferences;
  limits: PeerLimits;
  log: McuLog;
}

/** Socket.io payloads are small JSON; SDP-sized RTP parameters fit well within this. */
const MAX_MESSAGE_BYTES = 64 * 1024;

const checks = Object.fromEntries(
  Object.entries(SignalingRequestSchemas).map(([method, schema]) => [method, TypeCompiler.Compile(schema as TSchema)]),
) as Record<SignalingMethod, TypeCheck<TSchema>>;

function isMethod(name: string): name is SignalingMethod {
  return Object.hasOwn(SIGNALING_HANDLERS, name);
}

function schemaError(method: SignalingMethod, payload: unknown): McuError | undefined {
  const check = checks[method];
  if (check.Check(payload)) return undefined;
  const first = check.Errors(payload).First();
  return new McuError('BAD_REQUEST', `${method}: ${first ? `${first.path || '/'} ${first.message}` : 'invalid payload'}`);
}

function refusal(error: McuError): Error & { data: unknown } {
  return Object.assign(new Error(error.code), { data: error.toBody() });
}

export function attachSignaling(httpServer: HttpServer, options: SignalingOptions): SignalingServer {
  const { conferences, credentials, limits, log } = options;
  const io: SignalingServer = new Server(httpServer, {
    path: options.path,
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    cors: { origin: options.corsOrigins },
  });

  io.use((socket, next) => {
    try {
      const claims = credentials.verify((socket.handshake.auth as { credential?: unknown } | undefined)?.credential);
      const room = conferences.require(claims.conferenceId);
      if (!room.peer(claims.userId)) throw new McuError('USER_NOT_FOUND', 'This user is not (or no longer) in the conference.');
      socket.data = { conferenceId: claims.conferenceId, userId: claims.userId };
      next();
    } catch (err) {
      const error = toMcuError(err);
      log.info('signaling connection refused', { code: error.code, address: socket.handshake.address });
      next(refusal(error));
    }
  });

  io.on('connection', (socket: McuSocket) => {
    const { conferenceId, userId } = socket.data;
    const room = conferences.get(conferenceId);
    const peer = room?.peer(userId);
    if (!room || !peer) {
      socket.disconnect(true);
      return;
    }
    const channel: PeerChannel = {
      notify: (event, payload) => {
        (socket.emit as (e: string, p: unknown) => boolean)(event, payload);
      },
      disconnect: () => socket.disconnect(true),
    };
    room.attach(peer, channel);
    log.info('signaling connected', { conferenceId, userId });

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return; // every request needs an acknowledgement; others are ignored
      const reply = ack as (r: Ack<unknown>) => void;
      if (!isMethod(event)) {
        reply({ ok: false, error: new McuError('BAD_REQUEST', `Unknown request "${String(event).slice(0, 64)}".`).toBody() });
        return;
      }
      const invalid = args.length !== 2 ? new McuError('BAD_REQUEST', `${event}: expected one payload`) : schemaError(event, args[0]);
      if (invalid) {
        reply({ ok: false, error: invalid.toBody() });
        return;
      }
      if (peer.channel !== channel || room.closed) {
        reply({ ok: false, error: new McuError('CONFERENCE_NOT_FOUND').toBody() });
        return;
      }
      const ctx: HandlerContext = { room, peer, limits, log };
      const handler = SIGNALING_HANDLERS[event] as Handler<SignalingMethod>;
      Promise.resolve()
        .then(() => handler(ctx, args[0] as never))
        .then(
          (data) => reply({ ok: true, data }),
          (err: unknown) => {
            const error = toMcuError(err);
            if (error.code === 'INTERNAL') log.error('signaling request failed', { method: event, conferenceId, userId, err: String(err) });
            reply({ ok: false, error: error.toBody() });
          },
        );
    });

    socket.on('disconnect', (reason) => {
      if (peer.channel === channel) room.detach(peer);
      log.info('signaling disconnected', { conferenceId, userId, reason });
    });
  });
  return io;
}
