/**
 * The MCU's logger: the shared line logger (shared/log.ts) writing to stderr, since stdout carries
 * only the ready line. Callers never pass secrets or credentials.
 */
import { createLineLogger, type Logger, type LogLevel } from '../shared/log';

export type McuLogLevel = LogLevel;
export type McuLog = Logger;

export function createMcuLog(level: McuLogLevel, component = 'mcu', sink = (line: string) => void process.stderr.write(line + '\n')): McuLog {
  return createLineLogger(level, component, sink);
}
