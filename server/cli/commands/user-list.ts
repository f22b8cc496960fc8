import { UsageError, type Command } from '../context';

function count(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

export const userList: Command = {
  usage: 'user list [--search <text>] [--limit <n>] [--offset <n>] [--json]',
  summary: 'list users (name order)',
  options: { search: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' } },
  positionals: 0,
  async run(ctx, _args, values) {
    const { users, total } = await ctx.db.users.list({
      search: typeof values.search === 'string' ? values.search : undefined,
      limit: count(values.limit, 'limit', 1000),
      offset: count(values.offset, 'offset', 0),
    });
    if (values.json) {
      ctx.out(JSON.stringify({ total, users }));
      return 0;
    }
    const rows = users.map((u) => [u.name, u.displayName, u.phone ?? '', [u.admin ? 'admin' : '', u.disabled ? 'disabled' : ''].filter(Boolean).join(','), new Date(u.createdAt).toISOString()]);
    const header = ['NAME', 'DISPLAY NAME', 'PHONE', 'FLAGS', 'CREATED'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) ctx.out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
    ctx.out(`${users.length} of ${total} users`);
    return 0;
  },
};
