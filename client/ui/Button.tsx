import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './Spinner';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'on-dark';
  size?: 'medium' | 'large';
  block?: boolean;
  /** Shows a spinner, disables the button and tells assistive technology it is working. */
  busy?: boolean;
}

export function Button({ variant = 'secondary', size = 'medium', block = false, busy = false, className, children, disabled, type = 'button', ...rest }: ButtonProps) {
  const classes = ['btn', `btn--${variant}`, size === 'large' ? 'btn--large' : '', block ? 'btn--block' : '', className ?? '']
    .filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <Spinner />}
      {children}
    </button>
  );
}
