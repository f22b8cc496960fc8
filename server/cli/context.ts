/** What every CLI command gets: the open database, the realm, and output streams. */
import type { Db } from '../db/index';

export interface CliContext {
  db: Db;
  /** SIP digest realm = the SIP domain (OCS_DOMAIN). */
  realm: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A command-line mistake: print usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  /** e.g. "user add <name> --password <pw> [--display-name <text>] [--phone +E164] [--admin]" */
  usage: string;
  summary: string;
  /** parseArgs option table (strings and booleans only). */
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** Positional arguments expected after the command words. */
  positionals: number;
  /** Resolves with the exit code. */
  run(ctx: CliContext, args: string[], values: Record<string, string | boolean | undefined>): Promise<number>;
}

export function requireString(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}
