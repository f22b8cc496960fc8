import type { DragEvent } from 'react';
import type { AccessLevel, Contact, ContactGroup } from '../../../../shared/contacts';
import { Icon, IconButton, Menu, type MenuItem } from '../../../ui';
import { usePerson } from '../../base/people';
import { PersonAvatar } from '../../base/PersonAvatar';
import { useRuntime } from '../../base/react';
import { ACCESS_LEVEL_LABEL, ACCESS_LEVEL_ORDER } from '../model';

export const CONTACT_DRAG_TYPE = 'application/x-ocs-contact';

export interface ContactActions {
  move(uri: string, groupId: number): void;
  setAccessLevel(uri: string, level: AccessLevel | null): void;
  rename(contact: Contact): void;
  remove(contact: Contact): void;
}

/** One contact (Skype for Business style): presence, note, quick chat/call buttons, and a menu for the rest. */
export function ContactRow({ contact, groups, actions }: { contact: Contact; groups: readonly ContactGroup[]; actions: ContactActions }) {
  const runtime = useRuntime();
  const person = usePerson(contact.uri, contact.displayName);
  const presence = person.presence;
  const name = person.displayName;
  const chat = () => runtime.bus.emit('conversation/open', { uri: contact.uri, displayName: name });
  const call = (video: boolean) => runtime.bus.emit('call/start', { uri: contact.uri, displayName: name, video });

  const items: MenuItem[] = [
    { id: 'chat', label: 'Send an instant message', leading: <Icon name="chat" size={14} />, onSelect: chat },
    { id: 'call', label: 'Call', leading: <Icon name="phone" size={14} />, onSelect: () => call(false) },
    { id: 'video', label: 'Start a video call', leading: <Icon name="video" size={14} />, onSelect: () => call(true) },
    ...groups.filter((g) => g.id !== contact.groupId).map((g, i) => ({
      id: `move-${g.id}`, label: `Move to ${g.name}`, separatorBefore: i === 0, leading: <Icon name="folder" size={14} />,
      onSelect: () => actions.move(contact.uri, g.id),
    })),
    ...ACCESS_LEVEL_ORDER.map((level, i) => ({
      id: `level-${level}`, label: `Access: ${ACCESS_LEVEL_LABEL[level]}`, separatorBefore: i === 0,
      checked: contact.accessLevelSet && contact.accessLevel === level,
      onSelect: () => actions.setAccessLevel(contact.uri, level),
    })),
    { id: 'level-auto', label: `Access: automatic (${ACCESS_LEVEL_LABEL[contact.accessLevel]})`, checked: !contact.accessLevelSet,
      onSelect: () => actions.setAccessLevel(contact.uri, null) },
    { id: 'rename', label: 'Rename…', separatorBefore: true, leading: <Icon name="compose" size={14} />, onSelect: () => actions.rename(contact) },
    { id: 'remove', label: 'Remove from contacts', danger: true, leading: <Icon name="trash" size={14} />, onSelect: () => actions.remove(contact) },
  ];

  function onDragStart(event: DragEvent) {
    event.dataTransfer.setData(CONTACT_DRAG_TYPE, contact.uri);
    event.dataTransfer.setData('text/plain', contact.uri);
    event.dataTransfer.effectAllowed = 'move';
  }

  return (
    <li className="contact" draggable onDragStart={onDragStart} data-testid="contact" data-uri={contact.uri}
      data-presence={presence?.class ?? 'unknown'}>
      <button type="button" className="contact__main" onClick={chat} aria-label={`${name}, ${presence?.label ?? 'presence unknown'}. Send an instant message`}>
        <PersonAvatar person={person} size={36} />
        <span className="contact__text">
          <span className="contact__name">{name}</span>
          <span className="contact__status" data-testid="contact-status">
            {presence?.label ?? 'Presence unknown'}
            {presence?.note && <span className="contact__note"> — {presence.note}</span>}
          </span>
        </span>
        {contact.accessLevel === 'blocked' && <span className="contact__blocked" title="Blocked"><Icon name="lock" size={14} /></span>}
      </button>
      <span className="contact__actions">
        <IconButton icon="phone" label={`Call ${name}`} size="small" onClick={() => call(false)} />
        <IconButton icon="video" label={`Video call ${name}`} size="small" onClick={() => call(true)} />
        <Menu label={`More options for ${name}`} items={items} align="end" triggerClassName="icon-btn icon-btn--subtle icon-btn--small"
          trigger={<Icon name="more" size={16} />} testId="contact-menu" />
      </span>
    </li>
  );
}
