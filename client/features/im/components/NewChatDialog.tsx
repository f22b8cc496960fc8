import { useState, type FormEvent } from 'react';
import { Button, Dialog, TextField } from '../../../ui';
import { toSipUri } from '../../base/people';
import { useFeatureContext, useRequiredService } from '../../base/react';
import { IM } from '../service';

/** "New chat": whom to write to, by user name or sign-in address. */
export function NewChatDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const im = useRequiredService(IM);
  const { domain, user } = useFeatureContext();
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | undefined>();

  function submit(event: FormEvent) {
    event.preventDefault();
    const uri = toSipUri(to, domain);
    if (!uri) {
      setError('Enter a user name (bob) or a sign-in address (bob@example.com).');
      return;
    }
    if (uri === user.uri) {
      setError("That's you. Enter someone else's address.");
      return;
    }
    setTo('');
    setError(undefined);
    onClose();
    im.open(uri);
  }

  return (
    <Dialog open={open} title="New chat" onClose={() => { setError(undefined); onClose(); }} testId="new-chat-dialog">
      <form className="dialog__form" onSubmit={submit} noValidate>
        <TextField label="To" name="to" value={to} autoFocus autoComplete="off" spellCheck={false} placeholder="bob or bob@example.com"
          onChange={(e) => setTo(e.target.value)} invalid={Boolean(error)} hint={error ?? 'User name or sign-in address'} />
        <div className="dialog__actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary">Start chat</Button>
        </div>
      </form>
    </Dialog>
  );
}
