import type { ReactNode } from 'react';
import { Spinner } from './Spinner';

export type BannerTone = 'error' | 'warning' | 'success' | 'info';

const ICON_PATHS: Record<BannerTone, string> = {
  error: 'M10 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm0 11.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2ZM10 5a.9.9 0 0 0-.9.9v5.2a.9.9 0 0 0 1.8 0V5.9A.9.9 0 0 0 10 5Z',
  warning: 'M8.7 2.8a1.5 1.5 0 0 1 2.6 0l6.5 11.9A1.5 1.5 0 0 1 16.5 17h-13a1.5 1.5 0 0 1-1.3-2.3L8.7 2.8ZM10 13a1 1 0 1 0 0 2 1 1 0 0 0 0-2Zm0-6.5a.9.9 0 0 0-.9.9v3.7a.9.9 0 0 0 1.8 0V7.4a.9.9 0 0 0-.9-.9Z',
  success: 'M10 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm3.4 5.1-4.2 4.5-2.3-2.2a.8.8 0 1 0-1.1 1.1l2.9 2.8a.8.8 0 0 0 1.1 0l4.8-5.1a.8.8 0 1 0-1.2-1.1Z',
  info: 'M10 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm0 6.5a.9.9 0 0 0-.9.9v4.7a.9.9 0 0 0 1.8 0V9.4a.9.9 0 0 0-.9-.9ZM10 5a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z',
};

export interface BannerProps {
  tone: BannerTone;
  children: ReactNode;
  /** Full-width strip under the app header instead of a boxed message. */
  strip?: boolean;
  /** Shows a spinner instead of the icon (e.g. "reconnecting"). */
  busy?: boolean;
  id?: string;
  testId?: string;
}

/**
 * Errors are announced assertively (role=alert); everything else politely (role=status). Keep the
 * element mounted and change its text when possible, so screen readers announce the change.
 */
export function Banner({ tone, children, strip = false, busy = false, id, testId }: BannerProps) {
  return (
    <div id={id} data-testid={testId} role={tone === 'error' ? 'alert' : 'status'}
      className={['banner', `banner--${tone}`, strip ? 'banner--strip' : ''].filter(Boolean).join(' ')}>
      {busy ? <Spinner /> : (
        <svg className="banner__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path fill="currentColor" d={ICON_PATHS[tone]} />
        </svg>
      )}
      <div className="banner__body">{children}</div>
    </div>
  );
}
