import { useEffect, useState, type FormEvent } from 'react';
import { Button, Dialog, TextField } from '../../../ui';

/** "Show me as Away when I've been inactive for N minutes" (0: never). */
export function AwaySettingsDialog({ open, minutes, onClose, onSave }: { open: boolean; minutes: number; onClose: () => void; onSave: (minutes: number) => void }) {
  const [value, setValue] = useState(String(minutes));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => { if (open) { setValue(String(minutes)); setError(undefined); } }, [open, minutes]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 240) {
      setError('Enter a whole number of minutes from 0 to 240.');
      return;
    }
    onSave(n);
  }

  return (
    <Dialog open={open} title="Automatic Away" onClose={onClose} testId="away-settings">
      <form className="dialog__form" onSubmit={submit} noValidate>
        <TextField label="Show me as Away after this many minutes without activity" type="number" min={0} max={240} inputMode="numeric"
          value={value} onChange={(e) => setValue(e.target.value)} invalid={Boolean(error)}
          hint={error ?? '0 turns automatic Away off. A status you chose yourself is kept while you are away.'} autoFocus />
        <div className="dialog__actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary">Save</Button>
        </div>
      </form>
    </Dialog>
  );
}
