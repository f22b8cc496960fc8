import type { ButtonHTMLAttributes, Ref } from 'react';
import { Icon, type IconName } from './Icon';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  icon: IconName;
  /** The accessible name, also shown as the tooltip. */
  label: string;
  variant?: 'subtle' | 'on-dark' | 'call' | 'danger';
  size?: 'small' | 'medium' | 'large';
  /** For toggles (mute, camera): announced as pressed. */
  pressed?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function IconButton({ icon, label, variant = 'subtle', size = 'medium', pressed, className, type = 'button', ref, ...rest }: IconButtonProps) {
  const iconSize = size === 'large' ? 24 : size === 'small' ? 16 : 20;
  return (
    <button ref={ref} type={type} aria-label={label} title={label} aria-pressed={pressed}
      className={['icon-btn', `icon-btn--${variant}`, `icon-btn--${size}`, className ?? ''].filter(Boolean).join(' ')} {...rest}>
      <Icon name={icon} size={iconSize} />
    </button>
  );
}
