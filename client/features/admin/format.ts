/** Words and numbers for the admin tables. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${seconds} s`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "in 9 min" for an expiry. */
export function expiresIn(iso: string, now = Date.now()): string {
  const sec = Math.round((Date.parse(iso) - now) / 1000);
  if (!Number.isFinite(sec)) return iso;
  if (sec <= 0) return 'expired';
  return sec < 90 ? `in ${sec} s` : `in ${Math.round(sec / 60)} min`;
}

/** "Chrome 126 (sip.js)" from a SIP User-Agent like "OCS Web (sip.js 0.21.2)". */
export function describeUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown client';
  return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
}

/** A health detail value as short text (nested objects flattened one level). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(2);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `${value.length} items`;
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .map(([k, v]) => `${k}: ${describeValue(v)}`).join(' · ') || '—';
}
