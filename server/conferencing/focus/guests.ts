/**
 * Guests (anonymous meetings): `POST /api/meetings/:conferenceId/guest { displayName, pin }` checks
 * the conference key and gives a bearer token for the SIP WebSocket. The token names a guest
 * account made for this one meeting (`guest-<random>`, a random password nobody knows, disabled when
 * the meeting ends), so the platform's authentication treats it like any user while the Focus knows
 * it as a guest (meeting_guests) and sends it to the lobby. `GET .../public` tells the join page
 * what kind of meeting the link is for.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TokenService } from '../../auth/tokens';
import type { Db } from '../../db/index';
import {
  GUEST_JOIN_PATH,
  MEETING_PUBLIC_PATH,
  type GuestJoinReply,
  type MeetingPublicInfo,
} from '../../../shared/conferencing/types';
import type { MeetingStore } from '../focus-factory/store';
import type { Logger } from '../../log';

export interface GuestRouteDeps {
  store: MeetingStore;
  users: Db['users'];
  tokens: TokenService;
  domain: string;
  log: Logger;
  now?: () => number;
}

const Params = Type.Object({ conferenceId: Type.String({ pattern: '^[a-z0-9]{6,32}$' }) });
const Body = Type.Object(
  { displayName: Type.String({ minLength: 1, maxLength: 64 }), pin: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);

function error(code: string, message: string) {
  return { error: { code, message } };
}

function samePin(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerGuestRoutes(http: FastifyInstance, deps: GuestRouteDeps): void {
  const now = deps.now ?? Date.now;

  http.get<{ Params: { conferenceId: string } }>(MEETING_PUBLIC_PATH, { schema: { params: Params } }, async (req, reply) => {
    const m = await deps.store.get(req.params.conferenceId);
    if (!m) return reply.code(404).send(error('NOT_FOUND', 'There is no such meeting.'));
    const info: MeetingPublicInfo = { conferenceId: m.conferenceId, subject: m.subject, organizer: m.organizer, access: m.access, conferenceUri: m.uri, expired: m.expiresAt <= now() };
    return info;
  });

  http.post<{ Params: { conferenceId: string }; Body: { displayName: string; pin: string } }>(
    GUEST_JOIN_PATH,
    { schema: { params: Params, body: Body } },
    async (req, reply) => {
      const m = await deps.store.get(req.params.conferenceId);
      if (!m) return reply.code(404).send(error('NOT_FOUND', 'There is no such meeting.'));
      if (m.expiresAt <= now()) return reply.code(410).send(error('EXPIRED', 'This meeting has expired.'));
      if (m.access !== 'anonymous' || !m.pin) return reply.code(403).send(error('NO_GUESTS', 'This meeting does not admit guests: sign in to join.'));
      if (!samePin(req.body.pin, m.pin)) return reply.code(403).send(error('WRONG_PIN', 'The PIN is not right.'));
      const displayName = req.body.displayName.trim();
      if (displayName === '') return reply.code(400).send(error('BAD_REQUEST', 'Say who you are.'));
      const user = `guest-${randomBytes(6).toString('hex')}`;
      await deps.users.create({ name: user, password: randomBytes(24).toString('base64url'), displayName: `${displayName} (guest)` }, deps.domain);
      await deps.store.addGuest({ user, conferenceId: m.conferenceId, displayName, expiresAt: m.expiresAt });
      const { token, expiresAt } = deps.tokens.issue({ sub: user, admin: false });
      deps.log.info('guest pass issued', { conferenceId: m.conferenceId, user });
      const body: GuestJoinReply = { token, expiresAt, user, domain: deps.domain, conferenceUri: m.uri };
      return reply.code(201).send(body);
    },
  );
}

/** The meeting is over: its guest accounts stop working. */
export async function retireGuests(users: Db['users'], guests: string[], log: Logger): Promise<void> {
  for (const g of guests) {
    try {
      await users.setDisabled(g, true);
    } catch (err) {
      log.warn('could not disable a guest account', { user: g, err });
    }
  }
}
