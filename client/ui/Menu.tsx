/**
 * A menu button (WAI-ARIA APG "menu button" pattern): Enter/Space/ArrowDown open it and focus the
 * first item, arrows move, Escape closes and returns focus to the button, a click outside closes.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  /** Left decoration (a presence dot, an icon). */
  leading?: ReactNode;
  /** Shown checked (menuitemradio). */
  checked?: boolean;
  danger?: boolean;
  /** Draws a divider above the item. */
  separatorBefore?: boolean;
  onSelect: () => void;
}

export interface MenuProps {
  /** The button's content. */
  trigger: ReactNode;
  /** The button's accessible name. */
  label: string;
  items: MenuItem[];
  triggerClassName?: string;
  align?: 'start' | 'end';
  testId?: string;
}

export function Menu({ trigger, label, items, triggerClassName, align = 'start', testId }: MenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
    const onDown = (e: PointerEvent) => {
      if (!listRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  function onListKey(e: KeyboardEvent<HTMLUListElement>) {
    const entries = [...(listRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => { e.preventDefault(); entries[(to + entries.length) % entries.length]?.focus(); };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(entries.length - 1);
    else if (e.key === 'Escape') { e.preventDefault(); close(true); }
    else if (e.key === 'Tab') close(false);
  }

  return (
    <div className="menu">
      <button ref={buttonRef} type="button" className={triggerClassName ?? 'menu__trigger'} aria-label={label} aria-haspopup="menu"
        aria-expanded={open} aria-controls={open ? menuId : undefined} data-testid={testId} onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => { if (e.key === 'ArrowDown') { e.preventDefault(); setOpen(true); } }}>
        {trigger}
      </button>
      {open && (
        <ul ref={listRef} id={menuId} role="menu" aria-label={label} className={`menu__list menu__list--${align}`} onKeyDown={onListKey}>
          {items.map((item) => (
            <li key={item.id} role={item.checked !== undefined ? 'menuitemradio' : 'menuitem'} aria-checked={item.checked}
              tabIndex={-1} className={['menu__item', item.danger ? 'menu__item--danger' : '', item.separatorBefore ? 'menu__item--separated' : ''].filter(Boolean).join(' ')}
              onClick={() => { close(true); item.onSelect(); }}
              onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); close(true); item.onSelect(); } }}>
              <span className="menu__leading" aria-hidden="true">{item.leading}</span>
              <span className="menu__label">{item.label}</span>
              {item.checked && <span className="menu__check" aria-hidden="true">✓</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
