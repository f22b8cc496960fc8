/**
 * Starts the AV MCU as a child process (the embedded default: the Front End's composition root
 * calls this) and resolves with its ready line. The child gets the parent's environment plus
 * the MCU_* variables built from `options`; its stderr (logs) is passed through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mcuEnvironment, type McuEnvOptions, type McuReadyLine } from '../shared/mcu/env';

export interface SpawnedMcu {
  ready: McuReadyLine;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnMcuOptions {
  env: McuEnvOptions;
  /** How long to wait for the ready line (ms). */
  startTimeoutMs?: number;
  /** Where the MCU's stderr goes (default: inherited). */
  stderr?: 'inherit' | 'ignore' | 'pipe';
}

/**
 * The MCU entry beside this code: from the sources (tsx) mcu/main.ts; from the production build
 * (scripts/build-server.mjs bundles this file into dist/server/main.js) dist/mcu/main.js, run by
 * plain node.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const MAIN_ARGS = FROM_SOURCE
  ? ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))]
  : [fileURLToPath(new URL('../mcu/main.js', import.meta.url))];

export function spawnMcu(options: SpawnMcuOptions): Promise<SpawnedMcu> {
  // The child holds our end of its stdin: when this process goes (even SIGKILL), the pipe closes and
  // the MCU stops itself (MCU_EXIT_WITH_PARENT) rather than outliving us.
  const child = spawn(process.execPath, MAIN_ARGS, {
    env: { ...process.env, ...mcuEnvironment(options.env), MCU_EXIT_WITH_PARENT: '1' },
    stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error('the MCU did not report ready in time'));
    }, options.startTimeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let parsed: Partial<McuReadyLine> | undefined;
      try {
        parsed = JSON.parse(line) as Partial<McuReadyLine>;
      } catch {
        return; // not ours
      }
      if (parsed?.event !== 'mcu-ready') return;
      clearTimeout(timer);
      resolve({ ready: parsed as McuReadyLine, child, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the MCU exited before it was ready (code ${code ?? signal})`));
    });
  });
}
