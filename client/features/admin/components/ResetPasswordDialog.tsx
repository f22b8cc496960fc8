import { useState, type FormEvent } from 'react';
import type { UserSummary } from '../../../../shared/api/admin';
import { Banner, Button, Dialog, TextField } from '../../../ui';
import { describeApiError } from '../../base/http';
import type { AdminApi } from '../api';

export function ResetPasswordDialog({ user, api, onClose, onDone }: { user: UserSummary | undefined; api: AdminApi; onClose: () => void; onDone: (u: UserSummary) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  function close() {
    setPassword('');
    setError(undefined);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!user) return;
    if (password.length < 8) {
      setError('The password needs at least 8 characters.');
      return;
    }
    setBusy(true);
    try {
      await api.resetPassword(user.name, password);
      setPassword('');
      setError(undefined);
      onDone(user);
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={Boolean(user)} title={`Reset password of ${user?.displayName ?? ''}`} onClose={close} testId="reset-password-dialog">
      <form className="dialog__form" onSubmit={submit} noValidate>
        {error && <Banner tone="error">{error}</Banner>}
        <TextField label="New password" name="new-password" type="password" autoComplete="new-password" value={password} autoFocus
          onChange={(e) => setPassword(e.target.value)} invalid={Boolean(error)} hint="At least 8 characters. Tell the user through a safe channel." />
        <div className="dialog__actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Reset password</Button>
        </div>
      </form>
    </Dialog>
  );
}
