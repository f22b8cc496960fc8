import { useState, type FormEvent } from 'react';
import { USER_NAME_PATTERN, type UserSummary } from '../../../../shared/api/admin';
import { Banner, Button, Dialog, TextField } from '../../../ui';
import { describeApiError } from '../../base/http';
import type { AdminApi } from '../api';

const NAME = new RegExp(USER_NAME_PATTERN);
const EMPTY = { name: '', displayName: '', password: '', phone: '', admin: false };

/** Add user: the same rules as the API's schema, checked before sending so errors name the field. */
export function AddUserDialog({ open, api, onClose, onAdded }: { open: boolean; api: AdminApi; onClose: () => void; onAdded: (u: UserSummary) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | undefined>();
  const [invalid, setInvalid] = useState<keyof typeof EMPTY | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof EMPTY, value: string | boolean) => setForm((f) => ({ ...f, [field]: value }));

  function close() {
    setForm(EMPTY);
    setError(undefined);
    setInvalid(undefined);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = form.name.trim().toLowerCase();
    const problem: [keyof typeof EMPTY, string] | undefined = !NAME.test(name)
      ? ['name', 'User names use lower-case letters, digits, dots, dashes and underscores, and start with a letter or digit.']
      : form.password.length < 8 ? ['password', 'The password needs at least 8 characters.']
      : form.phone.trim() && !/^\+?[0-9 ()-]{2,32}$/.test(form.phone.trim()) ? ['phone', 'Enter the phone number with digits only (e.g. +1 425 555 0100).']
      : undefined;
    if (problem) {
      setInvalid(problem[0]);
      setError(problem[1]);
      return;
    }
    setBusy(true);
    try {
      const created = await api.createUser({
        name, password: form.password, admin: form.admin,
        ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      });
      setForm(EMPTY);
      setError(undefined);
      setInvalid(undefined);
      onAdded(created);
    } catch (err) {
      setError(describeApiError(err));
      setInvalid(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title="Add user" onClose={close} testId="add-user-dialog">
      <form className="dialog__form" onSubmit={submit} noValidate>
        {error && <Banner tone="error">{error}</Banner>}
        <TextField label="User name" name="name" autoComplete="off" spellCheck={false} autoCapitalize="none" value={form.name}
          onChange={(e) => set('name', e.target.value)} invalid={invalid === 'name'} hint="Used to sign in, e.g. jdoe" autoFocus />
        <TextField label="Display name" name="displayName" autoComplete="off" value={form.displayName}
          onChange={(e) => set('displayName', e.target.value)} placeholder="Jane Doe" />
        <TextField label="Initial password" name="password" type="password" autoComplete="new-password" value={form.password}
          onChange={(e) => set('password', e.target.value)} invalid={invalid === 'password'} hint="At least 8 characters" />
        <TextField label="Phone (optional)" name="phone" type="tel" autoComplete="off" value={form.phone}
          onChange={(e) => set('phone', e.target.value)} invalid={invalid === 'phone'} />
        <label className="checkbox">
          <input type="checkbox" checked={form.admin} onChange={(e) => set('admin', e.target.checked)} />
          <span>Administrator (can manage users and the server)</span>
        </label>
        <div className="dialog__actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Add user</Button>
        </div>
      </form>
    </Dialog>
  );
}
