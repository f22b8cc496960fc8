/**
 * The MCU's logger: one line per event with key=value facts, to stderr (stdout carries only the
 * ready line). The MCU may not import server/, so it has its own; callers never pass secrets
 * or credentials.
 */
export type McuLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<McuLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface McuLog {
  debug(msg: string, facts?: Record<string, unknown>): void;
  info(msg: string, facts?: Record<string, unknown>): void;
  warn(msg: string, facts?: Record<string, unknown>): void;
  error(msg: string, facts?: Record<string, unknown>): void;
  child(component: string): McuLog;
}

export function createMcuLog(level: McuLogLevel, component = 'mcu', sink = (line: string) => void process.stderr.write(line + '\n')): McuLog {
  const write = (lvl: Exclude<McuLogLevel, 'silent'>, msg: string, facts?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    let line = `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${component}] ${msg}`;
    for (const [k, v] of Object.entries(facts ?? {})) {
      if (v === undefined) continue;
      const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
      line += ` ${k}=${/[\s"=]/.test(s) ? JSON.stringify(s) : s}`;
    }
    sink(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (c) => createMcuLog(level, `${component}/${c}`, sink),
  };
}
