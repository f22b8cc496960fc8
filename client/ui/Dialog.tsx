/**
 * A modal on the native <dialog> element: the browser provides the focus trap, Escape, the inert
 * background and the top layer. Closing (Escape, the X, or `open` going false) calls onClose once.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { IconButton } from './IconButton';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons row at the bottom. */
  actions?: ReactNode;
  testId?: string;
}

export function Dialog({ open, title, onClose, children, actions, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} data-testid={testId}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      {open && (
        <div className="dialog__surface">
          <div className="dialog__head">
            <h2 id={titleId} className="dialog__title">{title}</h2>
            <IconButton icon="close" label="Close" size="small" onClick={onClose} />
          </div>
          <div className="dialog__body">{children}</div>
          {actions && <div className="dialog__actions">{actions}</div>}
        </div>
      )}
    </dialog>
  );
}
