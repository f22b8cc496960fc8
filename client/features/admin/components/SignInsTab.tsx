import { useMemo } from 'react';
import type { RegistrationBinding } from '../../../../shared/api/admin';
import { Banner, Button, Icon, Spinner } from '../../../ui';
import type { AdminApi } from '../api';
import { describeUserAgent, expiresIn } from '../format';
import { useLoad } from '../use-load';

const REFRESH_MS = 5_000;

/** Who is signed in on which endpoints: the Registrar's bindings, grouped by user, refreshed every few seconds. */
export function SignInsTab({ api }: { api: AdminApi }) {
  const list = useLoad(() => api.registrations(), 'registrations', REFRESH_MS);
  const byUser = useMemo(() => {
    const groups = new Map<string, RegistrationBinding[]>();
    for (const b of list.data?.registrations ?? []) groups.set(b.user, [...(groups.get(b.user) ?? []), b]);
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [list.data]);
  const endpoints = list.data?.registrations.length ?? 0;

  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <p className="admin-toolbar__summary" data-testid="admin-signins-summary">
          {list.data ? `${byUser.length} ${byUser.length === 1 ? 'person' : 'people'} on ${endpoints} ${endpoints === 1 ? 'endpoint' : 'endpoints'}` : ' '}
        </p>
        <Button onClick={list.reload}><Icon name="refresh" size={16} /> Refresh</Button>
      </div>
      {list.error && <Banner tone="error">{list.error}</Banner>}
      <div className="table-wrap">
        <table className="table" data-testid="admin-registrations">
          <caption className="visually-hidden">Signed-in endpoints</caption>
          <thead>
            <tr><th scope="col">User</th><th scope="col">Client</th><th scope="col">Connection</th><th scope="col">From</th><th scope="col">Registration expires</th></tr>
          </thead>
          <tbody>
            {byUser.flatMap(([user, bindings]) => bindings.map((b, i) => (
              <tr key={`${user}-${b.contact}`} data-testid="admin-registration-row" data-user={user}>
                {i === 0 && <th scope="rowgroup" rowSpan={bindings.length} className="table__group">{user}</th>}
                <td><span className="table__primary">{describeUserAgent(b.userAgent)}</span>{b.gruu && <span className="table__secondary mono" title={b.gruu}>GRUU</span>}</td>
                <td>{(b.transport ?? '—').toUpperCase()}</td>
                <td className="mono">{b.remote ?? '—'}</td>
                <td>{expiresIn(b.expiresAt)}</td>
              </tr>
            )))}
          </tbody>
        </table>
        {list.loading && !list.data && <div className="table__empty"><Spinner label="Loading endpoints" /></div>}
        {list.data && endpoints === 0 && <div className="table__empty">Nobody is signed in.</div>}
      </div>
    </div>
  );
}
