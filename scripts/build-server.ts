/**
 * The production build of the Node processes: `server/main.ts` (the Front End) and `mcu/main.ts`
 * (the AV MCU) bundled by esbuild into dist/server/main.js and dist/mcu/main.js, which `npm start`
 * runs with plain `node`. Development, tests and the CLI run the sources through tsx; production
 * does not, because tsx's on-the-fly transform keeps names (every closure of the hot path wrapped
 * in a `__name()` call) and maps every stack through source maps (an error object per reset
 * connection). docs/performance.md has the measurement.
 *
 * Packages stay external (resolved from node_modules at run time: native addons such as
 * better-sqlite3 and mediasoup's worker must not be bundled). `node scripts/build-server.mjs`
 * builds both; bench/targets/ours.ts calls buildNode() for its child's entry with the same options.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `entries` (paths relative to the repository, e.g. { 'server/main': 'server/main.ts' })
 * into `outdir` (relative to the repository; it must be inside it so that packages resolve).
 */
export async function buildNode(entries: Record<string, string>, outdir = 'dist'): Promise<void> {
  await build({
    absWorkingDir: REPO,
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Linked source maps: a stack can be mapped by hand (or with --enable-source-maps) when needed,
    // at no cost when it is not.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/** What `npm run build` bundles (and the e2e fixtures, which run the product as `npm start` does). */
export const PRODUCTION_ENTRIES = { 'server/main': './server/main.ts', 'mcu/main': './mcu/main.ts' };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildNode(PRODUCTION_ENTRIES);
  process.stdout.write(`server and MCU bundled into dist/ in ${Date.now() - started} ms\n`);
}
