/**
 * The message dispatcher (the seed's RTCSrv message dispatcher): hands each new request to the
 * modules that registered for its method, in a fixed order, after the common steps (validation,
 * authentication). A request nobody answers gets 501 (unknown method) or 405; a handler that throws
 * a SipError answers with its status; any other error is a 500 and a log line, never silence.
 */
import { SipError } from '../sip/message/errors';
import { createResponse } from '../sip/message/index';
import type { ServerTransaction } from '../sip/transaction/types';
import type { Logger } from '../log';
import type { Middleware, RequestContext, ResponseOptions } from './context';

export interface MethodHandler {
  /** Module name, for logs and the Allow header. */
  module: string;
  handle(ctx: RequestContext): Promise<void>;
}

export class Dispatcher {
  private readonly chain: { name: string; step: Middleware }[] = [];
  private readonly methods = new Map<string, MethodHandler[]>();
  /** Fallback for requests no method handler took (e.g. the proxy core for requests to users). */
  private fallback?: MethodHandler;
  /** Methods the fallback relays without a handler of their own (they are "allowed", not 501). */
  private readonly relayed = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly serverHeader: string,
  ) {}

  /** Common steps, run in registration order before any method handler. */
  use(name: string, step: Middleware): this {
    this.chain.push({ name, step });
    return this;
  }

  /** Registers a handler for a method; several handlers for one method run in order until one answers. */
  on(method: string, handler: MethodHandler): this {
    const list = this.methods.get(method) ?? [];
    list.push(handler);
    this.methods.set(method, list);
    return this;
  }

  /** The fallback handler, and the methods it relays that no module handles itself. */
  otherwise(handler: MethodHandler, relays: readonly string[] = []): this {
    this.fallback = handler;
    for (const m of relays) this.relayed.add(m);
    return this;
  }

  /** The methods this server implements itself (OPTIONS Allow header). */
  allowedMethods(): string[] {
    return [...new Set(['ACK', 'CANCEL', ...this.methods.keys(), ...this.relayed])].sort();
  }

  async dispatch(tx: ServerTransaction): Promise<void> {
    const ctx = this.context(tx);
    try {
      let i = 0;
      const next = async (): Promise<void> => {
        if (ctx.handled) return;
        const entry = this.chain[i++];
        if (entry) return entry.step(ctx, next);
        await this.route(ctx);
      };
      await next();
      if (!ctx.handled) ctx.respond(500, 'Server Internal Error (no handler answered)');
    } catch (err) {
      if (ctx.handled) {
        this.log.error('handler failed after answering', { method: tx.request.method, err });
        return;
      }
      if (err instanceof SipError) {
        ctx.respond(err.status, err.reason, { headers: [...err.headers] });
      } else {
        this.log.error('request handler failed', { method: tx.request.method, err });
        ctx.respond(500, 'Server Internal Error');
      }
    }
  }

  private async route(ctx: RequestContext): Promise<void> {
    for (const h of this.methods.get(ctx.request.method) ?? []) {
      await h.handle(ctx);
      if (ctx.handled) return;
    }
    if (this.fallback) {
      await this.fallback.handle(ctx);
      if (ctx.handled) return;
    }
    if (!this.methods.has(ctx.request.method) && !this.relayed.has(ctx.request.method)) {
      ctx.respond(501, 'Not Implemented', { headers: [['Allow', this.allowedMethods().join(', ')]] });
    } else {
      ctx.respond(405, 'Method Not Allowed', { headers: [['Allow', this.allowedMethods().join(', ')]] });
    }
  }

  private context(tx: ServerTransaction): RequestContext {
    const serverHeader = this.serverHeader;
    const ctx: RequestContext = {
      tx,
      request: tx.request,
      flow: tx.flow,
      handled: false,
      respond(status: number, reason?: string, opts: ResponseOptions = {}) {
        const res = createResponse(tx.request, status, reason, opts);
        if (!res.headers.has('Server')) res.headers.append('Server', serverHeader);
        ctx.send(res);
      },
      send(response) {
        if (response.status >= 200) ctx.handled = true;
        tx.respond(response);
      },
    };
    return ctx;
  }
}
