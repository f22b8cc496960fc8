import { useEffect, useState } from 'react';
import type { UserSummary } from '../../../../shared/api/admin';
import { Avatar, Banner, Button, Icon, Menu, Spinner } from '../../../ui';
import { describeApiError } from '../../base/http';
import type { AdminApi } from '../api';
import { formatDate } from '../format';
import { useLoad } from '../use-load';
import { AddUserDialog } from './AddUserDialog';
import { ResetPasswordDialog } from './ResetPasswordDialog';

const PAGE = 25;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Users: search, page, add, disable/enable, reset password, grant/revoke admin. */
export function UsersTab({ api, me }: { api: AdminApi; me: string }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useDebounced(search.trim(), 250);
  const list = useLoad((signal) => api.listUsers({ offset, limit: PAGE, ...(query ? { search: query } : {}) }, signal), `${query}|${offset}`);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserSummary | undefined>();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | undefined>();

  useEffect(() => setOffset(0), [query]);

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      setNotice({ tone: 'success', text: done });
      list.reload();
    } catch (err) {
      setNotice({ tone: 'error', text: describeApiError(err) });
    }
  }

  const users = list.data?.users ?? [];
  const total = list.data?.total ?? 0;
  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <div className="search-box">
          <Icon name="search" size={16} />
          <input type="search" aria-label="Search users" placeholder="Search by name" value={search}
            onChange={(e) => setSearch(e.target.value)} data-testid="admin-user-search" />
        </div>
        <Button variant="primary" onClick={() => setAdding(true)} data-testid="admin-add-user"><Icon name="userPlus" size={16} /> Add user</Button>
      </div>
      <div aria-live="polite">{notice && <Banner tone={notice.tone} testId="admin-notice">{notice.text}</Banner>}</div>
      {list.error && <Banner tone="error">{list.error}</Banner>}
      <div className="table-wrap">
        <table className="table" data-testid="admin-users">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Sign-in address</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.name} data-testid="admin-user-row" data-user={u.name}>
                <td>
                  <span className="table__person">
                    <Avatar name={u.displayName} colourKey={u.uri} size={28} />
                    <span><span className="table__primary">{u.displayName}</span><span className="table__secondary">{u.name}</span></span>
                  </span>
                </td>
                <td className="mono">{u.uri.replace(/^sip:/, '')}</td>
                <td>{u.admin ? <span className="pill pill--brand">Administrator</span> : 'User'}</td>
                <td>{u.disabled ? <span className="pill pill--danger">Disabled</span> : <span className="pill pill--ok">Active</span>}</td>
                <td>{formatDate(u.createdAt)}</td>
                <td className="table__actions">
                  <Menu label={`Actions for ${u.displayName}`} align="end" triggerClassName="icon-btn icon-btn--subtle icon-btn--small"
                    trigger={<Icon name="more" size={16} />} testId="admin-user-actions" items={[
                      { id: 'reset', label: 'Reset password…', leading: <Icon name="key" size={16} />, onSelect: () => setResetting(u) },
                      ...(u.name === me ? [] : [
                        u.admin
                          ? { id: 'admin', label: 'Remove administrator role', leading: <Icon name="shield" size={16} />, onSelect: () => void act(() => api.setAdmin(u.name, false), `${u.displayName} is no longer an administrator.`) }
                          : { id: 'admin', label: 'Make administrator', leading: <Icon name="shield" size={16} />, onSelect: () => void act(() => api.setAdmin(u.name, true), `${u.displayName} is now an administrator.`) },
                        u.disabled
                          ? { id: 'enable', label: 'Enable sign-in', leading: <Icon name="userCheck" size={16} />, onSelect: () => void act(() => api.setDisabled(u.name, false), `${u.displayName} can sign in again.`) }
                          : { id: 'disable', label: 'Disable sign-in', danger: true, leading: <Icon name="userX" size={16} />, onSelect: () => void act(() => api.setDisabled(u.name, true), `${u.displayName} can no longer sign in.`) },
                      ]),
                    ]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.loading && users.length === 0 && <div className="table__empty"><Spinner label="Loading users" /></div>}
        {!list.loading && users.length === 0 && !list.error && <div className="table__empty">{query ? `No users match “${query}”.` : 'No users yet.'}</div>}
      </div>
      <div className="pager">
        <span>{total === 0 ? '' : `${offset + 1}–${Math.min(offset + users.length, total)} of ${total}`}</span>
        <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</Button>
        <Button disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Next</Button>
      </div>
      <AddUserDialog open={adding} api={api} onClose={() => setAdding(false)}
        onAdded={(u) => { setAdding(false); setNotice({ tone: 'success', text: `${u.displayName} was added. They can sign in as ${u.name}.` }); list.reload(); }} />
      <ResetPasswordDialog user={resetting} api={api} onClose={() => setResetting(undefined)}
        onDone={(u) => { setResetting(undefined); setNotice({ tone: 'success', text: `The password of ${u.displayName} was reset.` }); }} />
    </div>
  );
}
