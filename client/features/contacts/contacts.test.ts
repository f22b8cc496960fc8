import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contact } from '../../../shared/contacts';
import type { Person } from '../base/contracts';
import { matches, orderedContacts, orderedGroups } from './model';

const c = (name: string, uri: string): Contact => ({ uri, displayName: name, groupId: 1, accessLevel: 'colleague', accessLevelSet: false });

describe('contact list order', () => {
  test('custom groups by name, "Other Contacts" last', () => {
    assert.deepEqual(orderedGroups([{ id: 1, name: 'Other Contacts' }, { id: 3, name: 'Team' }, { id: 2, name: 'Family' }]).map((g) => g.id), [2, 3, 1]);
  });

  test('reachable first, then by name; search by name or address', () => {
    const people = new Map<string, Person>([
      ['sip:b@x', { uri: 'sip:b@x', displayName: 'B', presence: { class: 'available', label: 'Available' } }],
      ['sip:c@x', { uri: 'sip:c@x', displayName: 'C', presence: { class: 'away', label: 'Away' } }],
    ]);
    const list = [c('Anna', 'sip:a@x'), c('Zed', 'sip:c@x'), c('Bea', 'sip:b@x')];
    assert.deepEqual(orderedContacts(list, (u) => people.get(u)).map((x) => x.displayName), ['Bea', 'Zed', 'Anna']);
    assert.equal(matches(c('Bob Builder', 'sip:bob@x'), 'build'), true);
    assert.equal(matches(c('Bob Builder', 'sip:bob@x'), 'bob@'), true);
    assert.equal(matches(c('Bob Builder', 'sip:bob@x'), 'carol'), false);
  });
});
