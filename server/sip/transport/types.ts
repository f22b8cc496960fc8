/**
 * The transport contract (cf. SIP.js `core/transport.ts`): everything above this layer sees a Flow,
 * one connection-oriented path to a peer (RFC 5626 §3: a flow), and never a socket.
 */
import type { SipMessage } from '../message/types';

export type TransportName = 'TCP' | 'TLS' | 'WS' | 'WSS';

export interface Endpoint {
  address: string;
  port: number;
}

export interface Flow {
  /** Opaque, unguessable and unique for the life of the process; used in flow tokens (RFC 5626). */
  readonly id: string;
  readonly transport: TransportName;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** True for connections a client opened to us (WS, inbound TCP/TLS). */
  readonly inbound: boolean;
  readonly closed: boolean;
  /** Per-flow facts that upper layers attach (e.g. the user a WebSocket was authenticated as). */
  readonly attributes: Map<string, unknown>;
  /** Serializes and sends; false when the flow is closed or its send buffer is over its bound. */
  send(message: SipMessage): boolean;
  /**
   * Replaces this flow's idle timeout (ms; 0 disables it). E.g. the registrar stretches it to the
   * registration's lifetime for TCP clients that send no RFC 5626 keep-alives. Optional so that test
   * doubles need not implement it.
   */
  setIdleTimeout?(ms: number): void;
  /** Idempotent. */
  close(reason?: string): void;
  onClose(listener: (reason: string) => void): void;
}

export interface TransportEvents {
  /** A complete, parsed message. */
  message: (message: SipMessage, flow: Flow) => void;
  flowOpen: (flow: Flow) => void;
  flowClose: (flow: Flow, reason: string) => void;
}

export interface TransportLayer {
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
  getFlow(id: string): Flow | undefined;
  /** Opens (or reuses) an outbound TCP/TLS flow, e.g. to a gateway or another Front End. */
  connect(transport: 'TCP' | 'TLS', target: Endpoint): Promise<Flow>;
  close(): Promise<void>;
}
