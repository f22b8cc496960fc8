import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec {
  id: string;
  label: string;
  content: () => ReactNode;
}

/** WAI-ARIA tabs: arrow keys move between tabs (automatic activation), only the chosen panel is rendered. */
export function Tabs({ tabs, selected, onSelect, label }: { tabs: TabSpec[]; selected: string; onSelect: (id: string) => void; label: string }) {
  const base = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const current = tabs.find((t) => t.id === selected) ?? tabs[0];

  function onKeyDown(event: KeyboardEvent) {
    const at = tabs.findIndex((t) => t.id === current?.id);
    const to = event.key === 'ArrowRight' ? at + 1 : event.key === 'ArrowLeft' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : undefined;
    if (to === undefined) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.id);
    refs.current.get(next.id)?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs__list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button key={tab.id} ref={(el) => { if (el) refs.current.set(tab.id, el); else refs.current.delete(tab.id); }}
            type="button" role="tab" id={`${base}-${tab.id}`} aria-controls={`${base}-${tab.id}-panel`}
            aria-selected={tab.id === current?.id} tabIndex={tab.id === current?.id ? 0 : -1}
            className="tabs__tab" onClick={() => onSelect(tab.id)}>
            {tab.label}
          </button>
        ))}
      </div>
      {current && (
        <div role="tabpanel" id={`${base}-${current.id}-panel`} aria-labelledby={`${base}-${current.id}`} className="tabs__panel">
          {current.content()}
        </div>
      )}
    </div>
  );
}
