/**
 * `createTransportLayer`: SIP over TCP and TLS listeners plus outbound connections, on top of the
 * shared TransportCore. WebSocket flows join the same layer through `attachWebSocket`.
 */
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { ParserLimits } from '../message/types';
import type { SipLimits } from '../../config';
import type { Endpoint, Flow, TransportEvents, TransportLayer } from './types';
import { TransportCore } from './core';
import { StreamFlow } from './stream-flow';
import type { LimitKey } from './limits';
import { silentLogger, type TransportLogger } from './logger';

export interface TransportLayerOptions {
  /** Bind address of the TCP/TLS listeners. */
  host: string;
  /** SIP over TCP; 0 picks a free port; undefined: no TCP listener. */
  sipPort?: number;
  /** SIP over TLS (default 5061) when a certificate and key are configured. */
  sipTlsPort?: number;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** PEM certificate and key given directly (instead of the files). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Options for outbound TLS flows (`ca`, `servername`, `rejectUnauthorized`...). */
  tlsClient?: ConnectionOptions;
  parser: ParserLimits;
  limits: SipLimits;
  logger?: TransportLogger;
  /** Maps a peer address to its flood-limit key (default: the IP, IPv4-mapped folded). */
  limitKey?: LimitKey;
  /** Bytes queued towards one peer before its flow is closed (default 1 MiB). */
  maxSendBufferBytes?: number;
  /** After unparseable input a flow stops reading and closes this much later, so earlier requests get answers (default 2 s). */
  drainGraceMs?: number;
  /** Outbound connection attempts give up after this long (default 10 s). */
  connectTimeoutMs?: number;
}

export interface SipTransportLayer extends TransportLayer {
  /** Where the listeners are bound (ports resolved when 0 was asked for). */
  readonly addresses: { tcp?: Endpoint; tls?: Endpoint };
  stats(): { flows: number; connections: number; peers: number };
  /** Addresses exempt from the per-IP connection cap and request rate (a pool's other Front Ends). */
  trust(addresses: Iterable<string>): void;
}

const cores = new WeakMap<TransportLayer, TransportCore>();

/** The shared core behind a layer made by `createTransportLayer` (for `attachWebSocket`). */
export function coreOf(layer: TransportLayer): TransportCore {
  const core = cores.get(layer);
  if (!core) throw new TypeError('not a transport layer made by createTransportLayer');
  return core;
}

function listen(server: Server, host: string, port: number): Promise<Endpoint> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ address: a.address, port: a.port });
    });
  });
}

export async function createTransportLayer(options: TransportLayerOptions): Promise<SipTransportLayer> {
  const logger = options.logger ?? silentLogger;
  const core = new TransportCore({
    parser: options.parser,
    limits: options.limits,
    logger,
    limitKey: options.limitKey,
    maxSendBufferBytes: options.maxSendBufferBytes ?? 1024 * 1024,
    drainGraceMs: options.drainGraceMs,
  });
  const servers: Server[] = [];
  const addresses: SipTransportLayer['addresses'] = {};
  /** `TCP|host|port` -> the outbound flow (or the attempt under way) to reuse. */
  const outbound = new Map<string, Flow>();
  const connecting = new Map<string, Promise<Flow>>();

  function accept(socket: Socket, transport: 'TCP' | 'TLS'): void {
    const remote = socket.remoteAddress ?? '';
    const admission = core.admit(remote);
    if (!admission.ok) {
      logger.debug(`sip ${transport} connection from ${remote} refused: ${admission.reason}`);
      socket.destroy();
      return;
    }
    core.register(new StreamFlow(socket, transport, true, core), admission.key);
  }

  try {
    if (options.sipPort !== undefined) {
      const server = createNetServer((socket) => accept(socket, 'TCP'));
      servers.push(server);
      addresses.tcp = await listen(server, options.host, options.sipPort);
    }
    const tlsMaterial =
      options.tls ??
      (options.tlsCertFile && options.tlsKeyFile
        ? { cert: readFileSync(options.tlsCertFile), key: readFileSync(options.tlsKeyFile) }
        : undefined);
    if (tlsMaterial) {
      // 'secureConnection': the handshake is done, so the flow only ever sees SIP bytes.
      const server = createTlsServer({ ...tlsMaterial, handshakeTimeout: options.limits.messageAssemblyTimeoutMs || 10_000 }, (socket) => accept(socket, 'TLS'));
      // Refuse over-limit peers before spending a handshake on them; the slot is taken once it completes.
      server.on('connection', (raw: Socket) => {
        if (core.closing || !core.limiter.wouldAdmit(raw.remoteAddress ?? '')) raw.destroy();
      });
      server.on('tlsClientError', (err, socket) => {
        logger.debug(`sip TLS handshake from ${socket.remoteAddress ?? '?'} failed: ${err.message}`);
      });
      servers.push(server);
      addresses.tls = await listen(server, options.host, options.sipTlsPort ?? 5061);
    }
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }

  async function open(transport: 'TCP' | 'TLS', target: Endpoint): Promise<Flow> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s =
        transport === 'TLS'
          ? tlsConnect({ servername: isIp(target.address) ? undefined : target.address, ...options.tlsClient, host: target.address, port: target.port })
          : netConnect({ host: target.address, port: target.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${target.address}:${target.port} timed out`));
      }, options.connectTimeoutMs ?? 10_000);
      s.once(transport === 'TLS' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        s.destroy();
        reject(err);
      });
    });
    if (core.closing) {
      socket.destroy();
      throw new Error('transport layer closed');
    }
    const flow = new StreamFlow(socket, transport, false, core);
    core.register(flow);
    return flow;
  }

  const layer: SipTransportLayer = {
    addresses,
    on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
      core.on(event, listener);
    },
    getFlow: (id) => core.flows.get(id),
    connect(transport, target) {
      if (core.closing) return Promise.reject(new Error('transport layer closed'));
      const key = `${transport}|${target.address.toLowerCase()}|${target.port}`;
      const existing = outbound.get(key);
      if (existing && !existing.closed) return Promise.resolve(existing);
      const pending = connecting.get(key);
      if (pending) return pending;
      const attempt = open(transport, target).then(
        (flow) => {
          connecting.delete(key);
          outbound.set(key, flow);
          flow.onClose(() => {
            if (outbound.get(key) === flow) outbound.delete(key);
          });
          return flow;
        },
        (err: unknown) => {
          connecting.delete(key);
          throw err;
        },
      );
      connecting.set(key, attempt);
      return attempt;
    },
    stats: () => ({ flows: core.flows.size, ...core.limiter.stats() }),
    trust: (addresses) => core.limiter.trust(addresses),
    async close() {
      if (core.closing) return;
      core.closing = true;
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const flow of [...core.flows.values()]) flow.close('shutting down');
      await Promise.all(closed);
    },
  };
  cores.set(layer, core);
  return layer;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
