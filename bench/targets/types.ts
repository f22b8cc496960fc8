/**
 * A SIP server under load, as the generator sees it: where to connect, which domain it serves,
 * which users exist (bench0..benchN-1, all with the same password), and which processes to charge
 * CPU and memory to. Ours and Kamailio both implement it, so every workload is the same work.
 */
export interface Target {
  /** 'ours' or 'kamailio': the prefix of every figure. */
  readonly name: string;
  readonly domain: string;
  /** SIP over TCP (RFC 3261 §18). */
  readonly tcpPort: number;
  /** SIP over WebSocket (RFC 7118), subprotocol `sip`. */
  readonly wsUrl: string;
  /** Every process of the server right now (a multi-process server has several). */
  pids(): number[];
  /** Lets a garbage-collected server settle before a memory reading (no-op elsewhere). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const BENCH_PASSWORD = 'bench-secret-1';

export const benchUser = (i: number): string => `bench${i}`;
