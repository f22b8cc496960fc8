import { requireString, type Command } from '../context';

export const userAdd: Command = {
  usage: 'user add <name> --password <pw> [--display-name <text>] [--phone <+E164>] [--admin]',
  summary: 'create a user',
  options: { password: { type: 'string' }, 'display-name': { type: 'string' }, phone: { type: 'string' }, admin: { type: 'boolean' } },
  positionals: 1,
  async run(ctx, [name], values) {
    const user = await ctx.db.users.create(
      {
        name: name!,
        password: requireString(values, 'password'),
        displayName: typeof values['display-name'] === 'string' ? values['display-name'] : undefined,
        phone: typeof values.phone === 'string' ? values.phone : undefined,
        admin: values.admin === true,
      },
      ctx.realm,
    );
    ctx.out(`created user ${user.name} (sip:${user.name}@${ctx.realm})${user.admin ? ' as administrator' : ''}`);
    return 0;
  },
};
