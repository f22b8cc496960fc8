/**
 * The admin command line (`npm run ocs -- <command>`). Reads the same environment as the server
 * (OCS_DATA_DIR, OCS_DOMAIN = realm, OCS_DB) and may run while the server runs: SQLite in WAL
 * mode with a busy timeout, or PostgreSQL. Exit codes: 0 done, 1 the operation failed (invalid
 * input, duplicate, unknown user, import lines with errors), 2 usage error.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase, type Db } from '../db/index';
import { userAdd } from './commands/user-add';
import { userDisable, userEnable } from './commands/user-enable';
import { userImport } from './commands/user-import';
import { userList } from './commands/user-list';
import { userPasswd } from './commands/user-passwd';
import { UsageError, type Command } from './context';
import { rerunWithThreadpool } from './threadpool';

const COMMANDS: Record<string, Command> = {
  'user add': userAdd,
  'user import': userImport,
  'user list': userList,
  'user passwd': userPasswd,
  'user disable': userDisable,
  'user enable': userEnable,
};

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

function usage(): string {
  return ['usage: npm run ocs -- <command>', ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n');
}

function scryptLog2N(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.OCS_SCRYPT_LOG2N;
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new UsageError(`OCS_SCRYPT_LOG2N must be an integer 1..20, got "${raw}"`);
  return n;
}

/** Runs one command line; resolves with the exit code. Exported for tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const key = argv.slice(0, 2).join(' ');
  const command = COMMANDS[key];
  if (!command) {
    (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? io.out : io.err)(usage());
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  let db: Db | undefined;
  try {
    const { values, positionals } = parseArgs({ args: argv.slice(2), options: command.options, allowPositionals: true, strict: true });
    if (positionals.length !== command.positionals) throw new UsageError(`expected ${command.positionals} argument(s)`);
    const config = loadConfig(io.env);
    const log2N = scryptLog2N(io.env);
    db = await openDatabase({ url: config.dbUrl, dataDir: config.dataDir, log: io.err, scryptCost: log2N ? { log2N } : undefined });
    return await command.run({ db, realm: config.domain, out: io.out, err: io.err }, positionals, values);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${e.message}\nusage: npm run ocs -- ${command.usage}`);
      return 2;
    }
    // Typed store errors carry messages meant for the admin; anything else is reported as is.
    io.err(`error: ${e.message}${e.code === 'ECONNREFUSED' ? ' (is the PostgreSQL server in OCS_DB running?)' : ''}`);
    return 1;
  } finally {
    await db?.close();
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const rerun = rerunWithThreadpool();
  if (rerun !== undefined) process.exit(rerun);
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
  process.exitCode = code;
}
