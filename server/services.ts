/**
 * The services that sit on the SIP platform (presence, contacts, IM policy, conferencing, ...)
 * install themselves through one narrow context: the composition root builds it once and calls
 * every installer in the order of SERVICES, after the platform's own handlers (registrar, OPTIONS)
 * and before the HTTP server listens. A service adds its line here in the commit that adds it.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import type { Logger } from './log';
import type { Db, MigrationSet } from './db/index';
import type { Dispatcher } from './dispatcher/dispatcher';
import type { LocationService } from './registrar/location';
import type { ProxyCore } from './sip/proxy/proxy';
import type { LocalAddress } from './sip/proxy/flow-token';
import type { SipTransportLayer } from './sip/transport/layer';
import type { TransactionLayer } from './sip/transaction/types';
import type { Flow } from './sip/transport/types';
import type { TokenService } from './auth/tokens';
import type { ConferencingServerFactory } from './conferencing/index';
import type { MemberForwarder, Pool } from './pool/index';
import { contactsService } from './contacts/index';
import { presenceService } from './presence/index';
import { conferencingService } from './conferencing/focus/service';
import { imService } from './im/index';

export interface ServiceContext {
  config: Config;
  log: Logger;
  /** This Front End's id (alphanumeric): marks our Via branches and Record-Routes. */
  frontEndId: string;
  db: Db;
  dispatcher: Dispatcher;
  location: LocationService;
  proxy: ProxyCore;
  transport: SipTransportLayer;
  transactions: TransactionLayer;
  /** Routes may be added: the server is not listening yet. */
  http: FastifyInstance;
  tokens: TokenService;
  mcuFactory: ConferencingServerFactory;
  mcuSecret: string;
  /** Our address as seen on a flow (for Via, Contact and Record-Route of requests we send). */
  localAddress(flow: Flow): LocalAddress;
  /** Whether a URI names this server (its domain or one of its addresses). */
  isOurAddress(uri: import('./sip/message/types').SipUri): boolean;
  /**
   * The other Front Ends on this database: members, events, homes (what lives on one member), and
   * forwarding a request to a member. Alone, it has no other member and everything is home here.
   */
  pool: Pick<Pool, 'members' | 'bus' | 'homes' | 'routing'> & { forwarder: MemberForwarder };
}

export interface ServiceInstaller {
  name: string;
  /** Tables the service owns (run with the core migrations at start-up). */
  migrations?: readonly MigrationSet[];
  /** May return a cleanup, run at shutdown before the platform closes. */
  install(ctx: ServiceContext): Promise<void | (() => Promise<void> | void)>;
}

export const SERVICES: ServiceInstaller[] = [
  contactsService,
  presenceService,
  conferencingService,
  // After contacts (command MESSAGEs) and the Focus (MESSAGEs to conferences): policy in front of the router.
  imService(),
];
