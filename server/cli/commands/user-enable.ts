import type { Command } from '../context';

function toggle(disabled: boolean): Command {
  return {
    usage: `user ${disabled ? 'disable' : 'enable'} <name>`,
    summary: disabled ? 'stop a user from signing in' : 'allow a disabled user to sign in again',
    options: {},
    positionals: 1,
    async run(ctx, [name]) {
      await ctx.db.users.setDisabled(name!, disabled);
      ctx.out(`user ${name!.toLowerCase()} ${disabled ? 'disabled' : 'enabled'}`);
      return 0;
    },
  };
}

export const userDisable = toggle(true);
export const userEnable = toggle(false);
