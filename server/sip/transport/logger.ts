/** What the transport needs from a logger (pino, fastify's logger and `console` all fit). */
export interface TransportLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export const silentLogger: TransportLogger = { debug: () => {}, warn: () => {} };

/** Enough of a flow id to correlate log lines without printing the whole (flow-token) secret. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
