import { Avatar } from '../../ui';
import { badgeOf, type Person } from './contracts';

/** A person's avatar with their presence badge (when known), labelled for screen readers. */
export function PersonAvatar({ person, size = 32 }: { person: Person; size?: number }) {
  const presence = person.presence;
  return (
    <Avatar name={person.displayName} colourKey={person.uri} size={size}
      {...(presence ? { presence: badgeOf(presence.class), presenceLabel: presence.label } : {})} />
  );
}
