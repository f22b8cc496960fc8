import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../../db/testing';
import { MEETINGS_MIGRATIONS } from './schema';
import { MeetingStore } from './store';
import { FocusFactory } from './factory';
import { C3pError } from './errors';

for (const engine of dbEngines()) {
  test(`Focus Factory on ${engine.name}: validation, ownership, expiry sweep`, { skip: engine.skip }, async () => {
    const db = await engine.open({ migrations: [MEETINGS_MIGRATIONS] });
    try {
      const clock = { now: 1_700_000_000_000 };
      const ended: string[] = [];
      const store = new MeetingStore(db, 'example.com');
      const factory = new FocusFactory({
        store,
        domain: 'example.com',
        now: () => clock.now,
        userExists: async (n) => ['bob', 'carol'].includes(n),
        onEnded: (id, _guests, why) => void ended.push(`${id}:${why}`),
      });
      const m = await factory.create('alice', { subject: 'S', access: 'anonymous', pin: '123456', mediaTypes: ['audio'], expiresAt: clock.now + 60_000, invitees: [{ user: 'sip:Bob@example.com', role: 'presenter' }, { user: 'alice', role: 'attendee' }] });
      assert.deepEqual(m.invitees, [{ user: 'bob', role: 'presenter' }], 'URIs normalised, the organizer is not an invitee');
      assert.equal(m.uri, `sip:alice@example.com;gruu;opaque=app:conf:focus:id:${m.conferenceId}`);
      const stored = await store.get(m.conferenceId);
      assert.equal(stored?.pin, '123456');
      assert.deepEqual(stored?.mediaTypes, ['audio']);
      assert.equal(stored?.locked, false);

      const refuse = async (p: Promise<unknown>, code: string, message: RegExp) => {
        await assert.rejects(p, (e: unknown) => e instanceof C3pError && e.code === code && message.test(e.message));
      };
      await refuse(factory.create('alice', { pin: '12' }), 'bad-request', /4 to 12 digits/);
      await refuse(factory.create('alice', { expiresAt: clock.now - 1 }), 'bad-request', /past/);
      await refuse(factory.create('alice', { mediaTypes: [] }), 'bad-request', /at least one media type/);
      await refuse(factory.modify('bob', m.conferenceId, { subject: 'x' }), 'forbidden', /organizer/);
      await refuse(factory.get('alice', 'nosuchmeeting'), 'not-found', /no meeting/);
      await refuse(factory.modify('alice', m.conferenceId, { pin: '' }), 'bad-request', /needs a PIN/);

      const changed = await factory.modify('alice', m.conferenceId, { access: 'closed', invitees: [{ user: 'carol', role: 'attendee' }] });
      assert.deepEqual(changed.invitees, [{ user: 'carol', role: 'attendee' }]);
      assert.equal((await factory.list('alice')).length, 1);

      clock.now += 61_000;
      await refuse(factory.get('alice', m.conferenceId), 'expired', /expired/);
      assert.deepEqual(await factory.sweepExpired(), [m.conferenceId]);
      assert.deepEqual(ended, [`${m.conferenceId}:expired`]);
      assert.equal(await store.get(m.conferenceId), undefined);
    } finally {
      await db.close();
    }
  });
}
