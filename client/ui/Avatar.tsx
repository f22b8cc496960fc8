/** Initials on a colour picked from the name, so a person keeps their colour everywhere. */
const COLOURS = ['#0f6cbd', '#8764b8', '#c239b3', '#0e7a0d', '#b5490d', '#038387', '#4f6bed', '#ad4389', '#986f0b', '#c4314b'];

export type PresenceBadge = 'available' | 'busy' | 'dnd' | 'away' | 'offline' | 'connecting';

export function initialsOf(name: string): string {
  const words = name.trim().split(/[\s._@-]+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? words[words.length - 1]?.[0] ?? '' : '';
  return (first + last).toUpperCase();
}

function colourOf(key: string): string {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return COLOURS[hash % COLOURS.length] ?? '#0f6cbd';
}

export interface AvatarProps {
  name: string;
  /** Stable key for the colour (the SIP URI); defaults to the name. */
  colourKey?: string;
  size?: number;
  presence?: PresenceBadge;
  presenceLabel?: string;
}

export function Avatar({ name, colourKey, size = 32, presence, presenceLabel }: AvatarProps) {
  return (
    // React applies `style` through the CSSOM, which our CSP (style-src 'self') allows.
    <span className="avatar" aria-hidden={presence ? undefined : true}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), background: colourOf(colourKey ?? name) }}>
      <span aria-hidden="true">{initialsOf(name)}</span>
      {presence && (
        <span className={`avatar__presence avatar__presence--${presence}`} role="img" aria-label={presenceLabel ?? presence} />
      )}
    </span>
  );
}
