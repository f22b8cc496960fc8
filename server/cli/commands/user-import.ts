import { readFile } from 'node:fs/promises';
import { importUsersCsv } from '../../users/import';
import { UsageError, type Command } from '../context';

/** Far above 10,000 users of ~100 bytes; refuses a wrong file (an image, a dump) before parsing. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const userImport: Command = {
  usage: 'user import <file.csv>',
  summary: 'create users from a CSV file with header name,password[,display_name,phone] (RFC 4180)',
  options: {},
  positionals: 1,
  async run(ctx, [file]) {
    const text = await readFile(file!, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    const started = Date.now();
    const result = await importUsersCsv(ctx.db, text, ctx.realm);
    for (const e of result.errors) ctx.err(`${file}:${e.line}: ${e.message}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    ctx.out(`created ${result.created} of ${result.records} users in ${seconds} s${result.errors.length ? `; ${result.errors.length} lines with errors` : ''}`);
    return result.errors.length ? 1 : 0;
  },
};
