import { useEffect, useMemo, useState } from 'react';
import { CONTACT_DISPLAY_NAME_MAX_LENGTH, DEFAULT_GROUP_ID, GROUP_NAME_MAX_LENGTH, type AccessLevel, type Contact, type ContactGroup } from '../../../../shared/contacts';
import { Banner, Icon, IconButton, PromptDialog, Spinner } from '../../../ui';
import { useFeatureContext, useRequiredService } from '../../base/react';
import { useStore } from '../../base/store';
import type { ContactCommand } from '../../../../shared/contacts';
import { matches, orderedGroups } from '../model';
import { CONTACTS } from '../service';
import { ContactRow } from './ContactRow';
import { DirectoryResults } from './DirectoryResults';
import { GroupSection, type GroupActions } from './GroupSection';

const NOTICE_MS = 6_000;

type Prompt =
  | { kind: 'new-group' }
  | { kind: 'rename-group'; group: ContactGroup }
  | { kind: 'rename-contact'; contact: Contact };

/** The "Contacts" side panel: search (the list and the directory), groups, and every change to the list. */
export function ContactsPanel() {
  const service = useRequiredService(CONTACTS);
  const { user } = useFeatureContext();
  const { list } = useStore(service.replica);
  const [query, setQuery] = useState('');
  const [prompt, setPrompt] = useState<Prompt | undefined>();
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | undefined>();
  // Confirmations fade after a while; errors stay until the next action.
  useEffect(() => {
    if (notice?.tone !== 'success') return;
    const timer = setTimeout(() => setNotice(undefined), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const groups = useMemo(() => orderedGroups(list?.groups ?? []), [list]);
  const contacts = list?.contacts ?? [];

  async function run(command: ContactCommand, done?: string): Promise<void> {
    try {
      await service.command(command);
      setNotice(done ? { tone: 'success', text: done } : undefined);
    } catch (err) {
      setNotice({ tone: 'error', text: err instanceof Error ? err.message : 'The change could not be made.' });
      throw err;
    }
  }
  const quietly = (command: ContactCommand, done?: string) => { void run(command, done).catch(() => undefined); };

  const actions: GroupActions = {
    move: (uri, groupId) => quietly({ op: 'move', uri, groupId }),
    setAccessLevel: (uri: string, level: AccessLevel | null) => quietly({ op: 'setAccessLevel', uri, level }),
    rename: (contact) => setPrompt({ kind: 'rename-contact', contact }),
    remove: (contact) => quietly({ op: 'remove', uri: contact.uri }, `${contact.displayName} was removed from your contacts.`),
    renameGroup: (group) => setPrompt({ kind: 'rename-group', group }),
    removeGroup: (group) => quietly({ op: 'removeGroup', groupId: group.id }, `Group “${group.name}” was removed; its contacts moved to ${groups.find((g) => g.id === DEFAULT_GROUP_ID)?.name ?? 'Other Contacts'}.`),
  };

  const q = query.trim();
  const found = q ? contacts.filter((c) => matches(c, q)) : [];

  return (
    <section className="panel" aria-labelledby="contacts-title">
      <div className="panel__head">
        <h2 className="panel__title" id="contacts-title">Contacts</h2>
        <span className="panel__actions">
          <IconButton icon="folder" label="New group" onClick={() => setPrompt({ kind: 'new-group' })} data-testid="new-group" />
        </span>
      </div>
      <div className="panel__search">
        <div className="search-field">
          <Icon name="search" size={16} />
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Find someone or add a contact"
            aria-label="Search contacts and the directory" data-testid="contact-search" />
        </div>
      </div>
      <div aria-live="polite" className="panel__notice">
        {notice && <Banner tone={notice.tone} testId="contacts-notice">{notice.text}</Banner>}
      </div>
      <div className="panel__scroll">
        {!list && <div className="panel__empty"><Spinner label="Loading your contacts" /></div>}
        {list && q && (
          <>
            <section aria-label="Matching contacts">
              <h3 className="directory__title">My contacts</h3>
              {found.length === 0 ? <p className="directory__empty">No contact matches “{q}”.</p>
                : <ul className="group__list">{found.map((c) => <ContactRow key={c.uri} contact={c} groups={groups} actions={actions} />)}</ul>}
            </section>
            <DirectoryResults query={q} service={service} self={user.uri} inList={(uri) => contacts.some((c) => c.uri === uri)}
              onAdd={(entry) => quietly({ op: 'add', uri: entry.uri, displayName: entry.displayName }, `${entry.displayName} was added to your contacts.`)} />
          </>
        )}
        {list && !q && contacts.length === 0 && (
          <div className="panel__empty">
            <p>Your contact list is empty. Search for someone above to add them.</p>
          </div>
        )}
        {list && !q && contacts.length > 0 && groups.map((g) => (
          <GroupSection key={g.id} group={g} groups={groups} actions={actions} contacts={contacts.filter((c) => c.groupId === g.id)} />
        ))}
      </div>
      <PromptDialog open={prompt?.kind === 'new-group'} title="New group" label="Group name" submitLabel="Create group" maxLength={GROUP_NAME_MAX_LENGTH}
        testId="new-group-dialog" onClose={() => setPrompt(undefined)}
        onSubmit={async (name) => { await run({ op: 'addGroup', name }); setPrompt(undefined); }} />
      <PromptDialog open={prompt?.kind === 'rename-group'} title="Rename group" label="Group name" submitLabel="Rename" maxLength={GROUP_NAME_MAX_LENGTH}
        initial={prompt?.kind === 'rename-group' ? prompt.group.name : ''} onClose={() => setPrompt(undefined)}
        onSubmit={async (name) => { if (prompt?.kind === 'rename-group') await run({ op: 'renameGroup', groupId: prompt.group.id, name }); setPrompt(undefined); }} />
      <PromptDialog open={prompt?.kind === 'rename-contact'} title="Rename contact" label="Display name" submitLabel="Rename"
        maxLength={CONTACT_DISPLAY_NAME_MAX_LENGTH} initial={prompt?.kind === 'rename-contact' ? prompt.contact.displayName : ''}
        onClose={() => setPrompt(undefined)}
        onSubmit={async (displayName) => { if (prompt?.kind === 'rename-contact') await run({ op: 'rename', uri: prompt.contact.uri, displayName }); setPrompt(undefined); }} />
    </section>
  );
}
