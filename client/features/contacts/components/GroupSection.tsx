import { useState, type DragEvent } from 'react';
import { DEFAULT_GROUP_ID, type Contact, type ContactGroup } from '../../../../shared/contacts';
import { Icon, Menu } from '../../../ui';
import { useRuntime } from '../../base/react';
import { useStore } from '../../base/store';
import { isOnline, orderedContacts } from '../model';
import { CONTACT_DRAG_TYPE, ContactRow, type ContactActions } from './ContactRow';

export interface GroupActions extends ContactActions {
  renameGroup(group: ContactGroup): void;
  removeGroup(group: ContactGroup): void;
}

/** A collapsible group with its online/total count; a drop target for contacts dragged from another group. */
export function GroupSection({ group, contacts, groups, actions }: { group: ContactGroup; contacts: readonly Contact[]; groups: readonly ContactGroup[]; actions: GroupActions }) {
  const { people } = useRuntime();
  useStore(people.people);
  const [open, setOpen] = useState(true);
  const [dropping, setDropping] = useState(false);
  const sorted = orderedContacts(contacts, (uri) => people.get(uri));
  const online = contacts.filter((c) => isOnline(people.get(c.uri))).length;
  const listId = `group-${group.id}`;

  function accepts(event: DragEvent): boolean {
    return event.dataTransfer.types.includes(CONTACT_DRAG_TYPE);
  }

  function onDrop(event: DragEvent) {
    setDropping(false);
    const uri = event.dataTransfer.getData(CONTACT_DRAG_TYPE);
    if (!uri) return;
    event.preventDefault();
    if (!contacts.some((c) => c.uri === uri)) actions.move(uri, group.id);
  }

  return (
    <section className={['group', dropping ? 'group--drop' : ''].filter(Boolean).join(' ')} data-testid="contact-group" data-group={group.name}
      onDragOver={(e) => { if (accepts(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; setDropping(true); } }}
      onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node)) setDropping(false); }}
      onDrop={onDrop}>
      <div className="group__head">
        <button type="button" className="group__toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
          <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
          <span className="group__name">{group.name}</span>
          <span className="group__count" aria-label={`${online} of ${contacts.length} online`}>{online}/{contacts.length}</span>
        </button>
        {group.id !== DEFAULT_GROUP_ID && (
          <Menu label={`Options for group ${group.name}`} align="end" triggerClassName="icon-btn icon-btn--subtle icon-btn--small group__menu"
            trigger={<Icon name="more" size={16} />} items={[
              { id: 'rename', label: 'Rename group…', onSelect: () => actions.renameGroup(group) },
              { id: 'remove', label: 'Remove group', danger: true, onSelect: () => actions.removeGroup(group) },
            ]} />
        )}
      </div>
      {open && (
        <ul className="group__list" id={listId} aria-label={group.name}>
          {sorted.map((c) => <ContactRow key={c.uri} contact={c} groups={groups} actions={actions} />)}
          {contacts.length === 0 && <li className="group__empty">{dropping ? 'Drop here to move' : 'No contacts in this group'}</li>}
        </ul>
      )}
    </section>
  );
}
