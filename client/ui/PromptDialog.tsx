import { useEffect, useState, type FormEvent } from 'react';
import { Banner } from './Banner';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { TextField } from './TextField';

/** Asks for one line of text (a name) with validation; `onSubmit` may reject with a message to show. */
export function PromptDialog({ open, title, label, initial = '', submitLabel, maxLength, onClose, onSubmit, testId }: {
  open: boolean;
  title: string;
  label: string;
  initial?: string;
  submitLabel: string;
  maxLength?: number;
  onClose: () => void;
  onSubmit: (value: string) => Promise<void> | void;
  testId?: string;
}) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (open) { setValue(initial); setError(undefined); } }, [open, initial]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!value.trim()) {
      setError(`Enter a ${label.toLowerCase()}.`);
      return;
    }
    setBusy(true);
    try {
      await onSubmit(value.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title={title} onClose={onClose} {...(testId ? { testId } : {})}>
      <form className="dialog__form" onSubmit={submit} noValidate>
        {error && <Banner tone="error">{error}</Banner>}
        <TextField label={label} value={value} maxLength={maxLength} autoFocus autoComplete="off" invalid={Boolean(error)}
          onChange={(e) => setValue(e.target.value)} />
        <div className="dialog__actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button>
        </div>
      </form>
    </Dialog>
  );
}
