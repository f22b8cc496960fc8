/** The OCS Web mark: two overlapping speech bubbles, the second a presence-green accent. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo__mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="3" width="22" height="17" rx="5" fill="currentColor" />
      <path d="M6 19v6l6-5z" fill="currentColor" />
      <rect x="11" y="11" width="20" height="15" rx="5" fill="#6bb700" />
      <path d="M26 25v5l-5-4.5z" fill="#6bb700" />
      <circle cx="16" cy="18.5" r="1.6" fill="#fff" />
      <circle cx="21" cy="18.5" r="1.6" fill="#fff" />
      <circle cx="26" cy="18.5" r="1.6" fill="#fff" />
    </svg>
  );
}

export function Logo({ size = 28, className }: { size?: number; className?: string }) {
  return (
    <span className={['logo', className ?? ''].filter(Boolean).join(' ')}>
      <LogoMark size={size} />
      <span className="logo__text">OCS Web</span>
    </span>
  );
}
