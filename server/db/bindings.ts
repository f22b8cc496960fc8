/**
 * Registrar bindings, the durable record behind the registrar's in-memory index. A binding is
 * identified within its AOR by +sip.instance and reg-id when the UA sent them (RFC 5626 §6,
 * RFC 5627 §3), else by its Contact URI (RFC 3261 §10.3 step 6). Writes go through the queue.
 */
import type { SqlDriver, SqlValue } from './driver/types';
import type { WriteQueue } from './queue';

export interface Binding {
  aor: string;
  contact: string;
  instanceId?: string;
  regId?: number;
  flowId?: string;
  /** The Front End holding the connection / flow for this binding. */
  frontEnd: string;
  /** ms epoch. */
  expiresAt: number;
  q: number;
  callId: string;
  cseq: number;
  userAgent?: string;
  /** RFC 3327 Path, in order. */
  path?: string[];
  gruu?: string;
  /** ms epoch. */
  updatedAt: number;
}

/**
 * The key of a binding within its AOR: `<instance>;reg-id=<n>` (outbound, RFC 5626),
 * `<instance>` (GRUU without outbound) or the Contact URI itself, so a plain contact can be
 * passed to remove() as is.
 */
export function bindingKey(b: Pick<Binding, 'contact' | 'instanceId' | 'regId'>): string {
  if (b.instanceId === undefined) return b.contact;
  return b.regId === undefined ? b.instanceId : `${b.instanceId};reg-id=${b.regId}`;
}

interface BindingRow {
  aor: string;
  contact: string;
  instance_id: string | null;
  reg_id: number | null;
  flow_id: string | null;
  front_end: string;
  expires_at: number;
  q: number;
  call_id: string;
  cseq: number;
  user_agent: string | null;
  path: string | null;
  gruu: string | null;
  updated_at: number;
}

function toBinding(r: BindingRow): Binding {
  const b: Binding = {
    aor: r.aor,
    contact: r.contact,
    frontEnd: r.front_end,
    expiresAt: Number(r.expires_at),
    q: Number(r.q),
    callId: r.call_id,
    cseq: Number(r.cseq),
    updatedAt: Number(r.updated_at),
  };
  if (r.instance_id !== null) b.instanceId = r.instance_id;
  if (r.reg_id !== null) b.regId = Number(r.reg_id);
  if (r.flow_id !== null) b.flowId = r.flow_id;
  if (r.user_agent !== null) b.userAgent = r.user_agent;
  if (r.path !== null) b.path = JSON.parse(r.path) as string[];
  if (r.gruu !== null) b.gruu = r.gruu;
  return b;
}

const COLUMNS = 'aor, binding_key, contact, instance_id, reg_id, flow_id, front_end, expires_at, q, call_id, cseq, user_agent, path, gruu, updated_at';
const UPSERT = `INSERT INTO bindings (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})
  ON CONFLICT (aor, binding_key) DO UPDATE SET ${COLUMNS.split(', ')
    .slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;
const SELECT = `SELECT ${COLUMNS} FROM bindings`;

export class BindingStore {
  constructor(
    private readonly sql: SqlDriver,
    private readonly queue: WriteQueue,
  ) {}

  upsert(b: Binding): Promise<void> {
    const params: SqlValue[] = [
      b.aor,
      bindingKey(b),
      b.contact,
      b.instanceId ?? null,
      b.regId ?? null,
      b.flowId ?? null,
      b.frontEnd,
      b.expiresAt,
      b.q,
      b.callId,
      b.cseq,
      b.userAgent ?? null,
      b.path ? JSON.stringify(b.path) : null,
      b.gruu ?? null,
      b.updatedAt,
    ];
    return this.queue.enqueue(async (tx) => void (await tx.run(UPSERT, params)));
  }

  /** `key` is bindingKey(binding) (a plain Contact URI for bindings without +sip.instance). Resolves with the rows removed. */
  remove(aor: string, key: string): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM bindings WHERE aor = ? AND binding_key = ?', [aor, key]));
  }

  /** A flow (connection) died: its bindings go (RFC 5626 §5.2). */
  removeByFlow(flowId: string): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM bindings WHERE flow_id = ?', [flowId]));
  }

  /** A Front End restarted or left the pool: the bindings it held are unreachable. */
  removeByFrontEnd(frontEnd: string): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM bindings WHERE front_end = ?', [frontEnd]));
  }

  removeExpired(now: number): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM bindings WHERE expires_at <= ?', [now]));
  }

  async listByAor(aor: string): Promise<Binding[]> {
    return (await this.sql.query<BindingRow>(`${SELECT} WHERE aor = ? ORDER BY q DESC, updated_at DESC`, [aor])).map(toBinding);
  }

  async listAll(): Promise<Binding[]> {
    return (await this.sql.query<BindingRow>(`${SELECT} ORDER BY aor, q DESC, updated_at DESC`)).map(toBinding);
  }

  async listByFrontEnd(frontEnd: string): Promise<Binding[]> {
    return (await this.sql.query<BindingRow>(`${SELECT} WHERE front_end = ? ORDER BY aor, q DESC`, [frontEnd])).map(toBinding);
  }
}
