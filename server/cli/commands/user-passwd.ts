import { requireString, type Command } from '../context';

export const userPasswd: Command = {
  usage: 'user passwd <name> --password <pw>',
  summary: "set a user's password (login and SIP digest)",
  options: { password: { type: 'string' } },
  positionals: 1,
  async run(ctx, [name], values) {
    await ctx.db.users.setPassword(name!, requireString(values, 'password'), ctx.realm);
    ctx.out(`password of ${name!.toLowerCase()} changed`);
    return 0;
  },
};
