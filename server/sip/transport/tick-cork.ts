/**
 * Corks a socket until the end of the current tick, once per tick: the answers to a burst of
 * pipelined requests leave in one write, not one syscall each. Used by the TCP/TLS and WebSocket
 * flows (under a WebSocket, the TCP socket it runs on; ws corks per frame too, and corks nest).
 */
import type { Socket } from 'node:net';

export class TickCork {
  private corked = false;

  constructor(private readonly socket: Pick<Socket, 'cork' | 'uncork' | 'destroyed'>) {}

  /** Call before each write. */
  hold(): void {
    if (this.corked || this.socket.destroyed) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }
}
