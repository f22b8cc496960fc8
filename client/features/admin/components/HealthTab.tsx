import { Banner, Button, Icon, Spinner } from '../../../ui';
import type { AdminApi } from '../api';
import { describeValue, formatBytes, formatUptime } from '../format';
import { useLoad } from '../use-load';

const REFRESH_MS = 5_000;
const SHOWN_ABOVE = new Set(['ready', 'server', 'node', 'pid', 'uptimeSec', 'memory']);

function labelOf(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The server's own health report, refreshed every few seconds. */
export function HealthTab({ api }: { api: AdminApi }) {
  const health = useLoad(() => api.health(), 'health', REFRESH_MS);
  const h = health.data;
  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <p className="admin-toolbar__summary">{h ? `${h.server ?? 'Front End'} · process ${h.pid ?? '?'}` : ' '}</p>
        <Button onClick={health.reload}><Icon name="refresh" size={16} /> Refresh</Button>
      </div>
      {health.error && <Banner tone="error">{health.error}</Banner>}
      {!h && health.loading && <Spinner label="Loading server health" />}
      {h && (
        <>
          <div className="stat-cards">
            <div className={`stat-card ${h.ready ? 'stat-card--ok' : 'stat-card--bad'}`} data-testid="admin-health-status">
              <span className="stat-card__label">Status</span>
              <span className="stat-card__value">{h.ready ? 'Running' : 'Not ready'}</span>
            </div>
            <div className="stat-card"><span className="stat-card__label">Up for</span><span className="stat-card__value">{formatUptime(h.uptimeSec ?? 0)}</span></div>
            <div className="stat-card"><span className="stat-card__label">Memory</span><span className="stat-card__value">{h.memory ? formatBytes(h.memory.rss) : '—'}</span></div>
            <div className="stat-card"><span className="stat-card__label">Node.js</span><span className="stat-card__value">{h.node ?? '—'}</span></div>
          </div>
          <dl className="detail-list">
            {Object.entries(h).filter(([k]) => !SHOWN_ABOVE.has(k)).map(([k, v]) => (
              <div key={k}><dt>{labelOf(k)}</dt><dd>{describeValue(v)}</dd></div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}
