import { useMemo, useState } from 'react';
import { Icon } from '../../../ui';
import { useFeatureContext } from '../../base/react';
import { useSession } from '../../session';
import { AdminApi } from '../api';
import { HealthTab } from './HealthTab';
import { SignInsTab } from './SignInsTab';
import { Tabs } from './Tabs';
import { UsersTab } from './UsersTab';
import '../admin.css';

/** The settings page for administrators (the MMC snap-in re-imagined): users, sign-ins, health. */
export function AdminPage() {
  const { token } = useFeatureContext();
  const session = useSession();
  const api = useMemo(() => new AdminApi(token), [token]);
  const [tab, setTab] = useState('users');
  const isAdmin = session.phase === 'signed-in' && session.user.admin;

  if (!isAdmin) {
    return (
      <div className="admin admin--refused" data-testid="admin-refused">
        <Icon name="lock" size={32} />
        <h1 className="admin__title">Administrator rights needed</h1>
        <p>Ask an administrator if you need to manage users or the server.</p>
      </div>
    );
  }
  return (
    <div className="admin" data-testid="admin-page">
      <header className="admin__head">
        <h1 className="admin__title">Administration</h1>
        <p className="admin__subtitle">Manage who can sign in, see who is connected, and check the server.</p>
      </header>
      <Tabs label="Administration sections" selected={tab} onSelect={setTab} tabs={[
        { id: 'users', label: 'Users', content: () => <UsersTab api={api} me={session.user.name} /> },
        { id: 'sign-ins', label: 'Signed-in endpoints', content: () => <SignInsTab api={api} /> },
        { id: 'health', label: 'Server health', content: () => <HealthTab api={api} /> },
      ]} />
    </div>
  );
}
