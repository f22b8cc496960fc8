/**
 * The composition root of one Front End (Standard Edition by default): storage, the SIP stack
 * (transports -> transactions -> dispatcher -> registrar / router -> proxy core), authentication
 * and the HTTP server, wired once. Everything below receives what it needs; nothing reaches up.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { type Config, loadConfig } from './config';
import { createLogger, type Logger } from './log';
import { type Db, openDatabase } from './db/index';
import { TokenService } from './auth/tokens';
import { Lockout } from './auth/lockout';
import { buildHttpServer } from './http/index';
import type { HttpUserStore } from './http/deps';
import { Authenticator, FLOW_AUTH_USER } from './sip/auth/authenticator';
import { createTransportLayer, type SipTransportLayer } from './sip/transport/layer';
import { attachWebSocket } from './sip/transport/websocket';
import { createTransactionLayer } from './sip/transaction/layer';
import type { TransactionLayer } from './sip/transaction/types';
import { ProxyCore } from './sip/proxy/proxy';
import { preprocessRoutes, validateRequest } from './sip/proxy/validate';
import { Dispatcher } from './dispatcher/dispatcher';
import { authenticate, optionsHandler, strayCancel } from './dispatcher/steps';
import { LocationService } from './registrar/location';
import { Registrar } from './registrar/register';
import { Router } from './routing/router';
import { addressMatcher, isForServer } from './routing/local';
import { relayAck } from './routing/ack';
import { seedDemoUsers } from './users/demo';
import { frontEndId } from './front-end-id';
import { ConferencingServerFactory, conferencingFactoryPlugin, MCU_FACTORY_MIGRATIONS } from './conferencing/index';
import { advertisedHost, memberForwarder, POOL_MIGRATIONS, signingTransactions, startPool, type Pool } from './pool/index';
import { SERVICES, type ServiceInstaller } from './services';

export interface FrontEnd {
  config: Config;
  /** Unique id of this Front End process (alphanumeric): marks our Via branches and Record-Routes. */
  id: string;
  httpPort: number;
  sipPort: number;
  db: Db;
  location: LocationService;
  transport: SipTransportLayer;
  transactions: TransactionLayer;
  http: FastifyInstance;
  log: Logger;
  /** Demo users created at first start (name + password), printed once by main. */
  demoUsers?: { name: string; password: string }[];
  /** The Conferencing Server Factory: MCUs register at `mcuFactoryUrl` with `mcuSecret`. */
  mcuFactory: ConferencingServerFactory;
  mcuFactoryUrl: string;
  /** Shared by every Front End of a pool and given to the MCUs (server-to-server auth). */
  mcuSecret: string;
  /** This Front End's view of its pool (the other Front Ends on the same database). */
  pool: Pool;
  close(): Promise<void>;
}

export async function startFrontEnd(
  overrides: Partial<Config> = {},
  opts: { env?: NodeJS.ProcessEnv; log?: Logger; services?: readonly ServiceInstaller[] } = {},
): Promise<FrontEnd> {
  const services = opts.services ?? SERVICES;
  const config = loadConfig(opts.env ?? process.env, overrides);
  const log = opts.log ?? createLogger(config.logLevel);
  const id = frontEndId(config.dataDir, config.frontEndId);
  const db = await openDatabase({ url: config.dbUrl, dataDir: config.dataDir, log: (m) => log.child('db').info(m), migrations: [MCU_FACTORY_MIGRATIONS, POOL_MIGRATIONS, ...services.flatMap((s) => s.migrations ?? [])], scryptCost: config.scryptLog2N ? { log2N: config.scryptLog2N } : undefined });
  const cleanups: (() => Promise<void> | void)[] = [() => db.close()];
  try {
    const demoUsers = config.seedDemoUsers ? await seedDemoUsers(db, config.domain, (m) => log.info(m)) : undefined;
    const tokens = new TokenService(await db.settings.getOrCreateSecret('token-secret'), config.auth.tokenTtlMs);
    const lockout = new Lockout({ maxFailures: config.auth.maxFailures, lockoutMs: config.auth.lockoutMs });
    const authenticator = new Authenticator({
      domain: config.domain,
      settings: config.auth,
      credentials: db.users,
      tokens,
      secret: await db.settings.getOrCreateSecret('sip-digest'),
      lockout,
      logger: log.child('auth'),
    });

    const sipLog = log.child('sip');
    const transport = await createTransportLayer({
      host: config.host,
      sipPort: config.sipPort,
      sipTlsPort: config.sipTlsPort,
      tlsCertFile: config.tlsCertFile,
      tlsKeyFile: config.tlsKeyFile,
      parser: config.parser,
      limits: config.limits,
      logger: { debug: (m) => sipLog.debug(m), warn: (m) => sipLog.warn(m) },
    });
    cleanups.unshift(() => transport.close());

    const location = new LocationService(db.bindings, log.child('registrar'));
    await location.restore(id, (flowId) => !!transport.getFlow(flowId));
    location.startSweeper();
    cleanups.unshift(() => location.close());
    transport.on('flowClose', (flow) => location.flowClosed(flow.id));

    // The pool: membership in the shared DB, forwarding to and trusting the other Front Ends.
    const sipListener = transport.addresses.tcp ?? { address: config.host, port: config.sipPort };
    const pool = await startPool({
      frontEnd: id,
      domain: config.domain,
      sip: { host: advertisedHost(config.poolHost, sipListener.address), port: sipListener.port },
      heartbeatMs: config.poolHeartbeatMs,
      db,
      transport,
      location,
      log: log.child('pool'),
    });
    cleanups.unshift(() => pool.stop());

    const isOurAddress = addressMatcher(config.domain, [config.host]);
    const forServer = isForServer(isOurAddress);
    const dispatcher = new Dispatcher(log.child('dispatcher'), config.serverName);
    let proxy!: ProxyCore;
    // Requests sent on a link to another member of the pool carry its credential (server/pool/signing.ts).
    const transactions = signingTransactions(createTransactionLayer(
      transport,
      {
        onRequest: (tx) => void dispatcher.dispatch(tx),
        onAck: (ack, flow) => relayAck(ack, flow, { frontEnd: id, proxy, transport, location, isOurAddress }),
        onStrayResponse: (res) => void proxy.relayStrayResponse(res),
      },
      config.timers,
      { onError: (err, where) => sipLog.warn('transaction error', { where, err }) },
    ), pool.credentials);
    cleanups.unshift(() => transactions.close());
    proxy = new ProxyCore({
      frontEnd: id,
      transactions,
      timers: config.timers,
      log: sipLog,
      serverName: config.serverName,
      localAddress: (flow) => ({ host: flow.local.address, port: flow.local.port, transport: flow.transport }),
    });

    dispatcher
      .use('validate', validateRequest(id, forServer))
      .use('routes', preprocessRoutes(id, isOurAddress))
      // OPTIONS pings to the server itself are answered without a challenge (keep-alives, monitors).
      .use('pool', pool.peers)
      // Requests another Front End of the pool vouched for were authenticated there.
      .use('authenticate', authenticate(authenticator, (ctx) => ctx.authMethod === 'peer' || (ctx.request.method === 'OPTIONS' && forServer(ctx.request))))
      .on('REGISTER', new Registrar({ domain: config.domain, frontEnd: id, settings: config.registrar, location }))
      .on('OPTIONS', optionsHandler(dispatcher, forServer))
      .on('CANCEL', strayCancel)
      .otherwise(
        new Router({
          pool: pool.routing,
          domain: config.domain,
          location,
          proxy,
          transport,
          isOurAddress,
          log: sipLog,
          userExists: async (name) => !!(await db.users.findByName(name)),
        }),
        // Methods the router proxies to users' endpoints without a module of their own.
        ['INVITE', 'ACK', 'BYE', 'MESSAGE', 'INFO', 'PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'REFER'],
      );

    let ready = false;
    const http = await buildHttpServer({
      config,
      users: httpUsers(db, config.domain),
      tokens,
      lockout,
      log: log.child('http'),
      health: () => ({ ready, frontEnd: id, db: db.engine, registrations: location.size, sip: transport.stats(), transactions: transactions.stats() }),
      admin: {
        registrations: async () =>
          location.all().map((b) => {
            const flow = b.flowId ? transport.getFlow(b.flowId) : undefined;
            return {
              user: b.aor.replace(/^sip:/, '').split('@')[0]!,
              aor: b.aor,
              contact: b.contact,
              instanceId: b.instanceId,
              gruu: b.gruu,
              transport: flow?.transport,
              remote: flow ? `${flow.remote.address}:${flow.remote.port}` : undefined,
              userAgent: b.userAgent,
              expiresAt: new Date(b.expiresAt).toISOString(),
            };
          }),
      },
    });
    cleanups.unshift(() => http.close());
    const mcuSecret = (await db.settings.getOrCreateSecret('mcu-secret')).toString('base64url');
    await http.register(conferencingFactoryPlugin, { db, secret: mcuSecret, log: log.child('mcu-factory'), prefix: '/mcu-factory' });
    const mcuFactory = new ConferencingServerFactory({ db, log: log.child('mcu-factory') });
    const localAddress = (flow: import('./sip/transport/types').Flow) => ({ host: flow.local.address, port: flow.local.port, transport: flow.transport });
    for (const service of services) {
      const cleanup = await service.install({
        config,
        log: log.child(service.name),
        frontEndId: id,
        db,
        dispatcher,
        location,
        proxy,
        transport,
        transactions,
        http,
        tokens,
        mcuFactory,
        mcuSecret,
        localAddress,
        isOurAddress,
        pool: { ...pool, forwarder: memberForwarder({ routing: pool.routing, proxy, domain: config.domain }) },
      });
      if (cleanup) cleanups.unshift(cleanup);
    }
    const ws = attachWebSocket(transport, http.server, { path: '/sip', authenticate: (req) => bearerFromUrl(req, tokens) });
    cleanups.unshift(() => ws.close());
    await http.listen({ port: config.httpPort, host: config.host });
    const httpAddress = http.server.address();
    const httpPort = typeof httpAddress === 'object' && httpAddress ? httpAddress.port : config.httpPort;
    ready = true;
    log.info('front end ready', { id, http: httpPort, sip: transport.addresses.tcp?.port, tls: transport.addresses.tls?.port, domain: config.domain, db: db.engine });

    let closing: Promise<void> | undefined;
    return {
      config,
      id,
      httpPort,
      sipPort: transport.addresses.tcp?.port ?? config.sipPort,
      db,
      location,
      transport,
      transactions,
      http,
      log,
      demoUsers,
      mcuFactory,
      mcuFactoryUrl: `http://127.0.0.1:${httpPort}/mcu-factory`,
      mcuSecret,
      pool,
      close: () => (closing ??= runCleanups(cleanups, log)),
    };
  } catch (err) {
    await runCleanups(cleanups, log);
    throw err;
  }
}

async function runCleanups(cleanups: (() => Promise<void> | void)[], log: Logger): Promise<void> {
  for (const c of cleanups) {
    try {
      await c();
    } catch (err) {
      log.warn('shutdown step failed', { err });
    }
  }
}

/**
 * The web client opens `/sip?access_token=<bearer>`: sip.js cannot send RFC 8898 Bearer itself, so
 * the WebSocket is authenticated once and every request on it is that user's. A connection without
 * a token is anonymous and gets Digest challenges (third-party clients); a bad token is refused.
 */
async function bearerFromUrl(req: IncomingMessage, tokens: TokenService): Promise<Map<string, unknown> | undefined | 'reject'> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const token = url.searchParams.get('access_token');
  if (token === null) return undefined;
  const claims = tokens.verify(token);
  return claims ? new Map<string, unknown>([[FLOW_AUTH_USER, claims.sub]]) : 'reject';
}

/** The HTTP layer's view of the user store. */
function httpUsers(db: Db, realm: string): HttpUserStore {
  const u = db.users;
  return {
    verifyPassword: (name, password) => u.verifyPassword(name, password),
    findByName: (name) => u.findByName(name),
    list: async (q) => {
      const page = await u.list(q);
      return { items: page.users, total: page.total };
    },
    create: (nu) => u.create({ name: nu.name, password: nu.password, displayName: nu.displayName, phone: nu.phone, admin: nu.admin }, nu.realm ?? realm),
    setDisabled: (name, d) => u.setDisabled(name, d),
    setAdmin: (name, a) => u.setAdmin(name, a),
    setPassword: (name, pw, r) => u.setPassword(name, pw, r),
  };
}
