/** The Front End's logger: the shared line logger (shared/log.ts) writing to stderr. */
import { createLineLogger, type Logger, type LogLevel } from '../shared/log';

export type { Logger, LogLevel } from '../shared/log';

export function createLogger(level: LogLevel, component = 'ocs', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  return createLineLogger(level, component, sink);
}

