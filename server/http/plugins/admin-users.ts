/**
 * /api/admin/users: list/search/page, add, disable/enable, grant/revoke admin, reset password.
 * Mounted behind bearerAuth + requireAdmin. An admin cannot disable or demote themselves, so the
 * last administrator cannot lock everyone out by accident.
 */
import type { FastifyInstance } from 'fastify';
import {
  CreateUserRequest, ResetPasswordRequest, SetAdminRequest, UserListQuery, UserListResponse, UserNameParams, UserSummary,
} from '../../../shared/api/admin';
import { ApiErrorBody } from '../../../shared/api/errors';
import { sipUriOf } from '../../../shared/api/login-name';
import { toIso, type HttpLog, type HttpUser, type HttpUserStore } from '../deps';
import { HttpError } from '../errors';
import { principalOf } from './authenticate';

export interface AdminUsersOptions {
  users: HttpUserStore;
  domain: string;
  log: HttpLog;
}

const errors = { 400: ApiErrorBody, 401: ApiErrorBody, 403: ApiErrorBody, 404: ApiErrorBody, 409: ApiErrorBody };

export function toUserSummary(user: HttpUser, domain: string): UserSummary {
  const summary: UserSummary = {
    name: user.name,
    displayName: user.displayName || user.name,
    uri: sipUriOf(user.name, domain),
    admin: user.admin,
    disabled: user.disabled,
    createdAt: toIso(user.createdAt),
  };
  if (user.phone) summary.phone = user.phone;
  return summary;
}

export async function adminUsersPlugin(app: FastifyInstance, opts: AdminUsersOptions): Promise<void> {
  const { users, domain, log } = opts;

  async function mustFind(name: string): Promise<HttpUser> {
    const user = await users.findByName(name);
    if (!user) throw new HttpError('NOT_FOUND', `No user named "${name}".`);
    return user;
  }

  async function summaryOf(name: string): Promise<UserSummary> {
    return toUserSummary(await mustFind(name), domain);
  }

  app.get<{ Querystring: UserListQuery }>('/users', {
    schema: { querystring: UserListQuery, response: { 200: UserListResponse, ...errors } },
  }, async (request) => {
    const { offset, limit } = request.query;
    const search = request.query.search?.trim() || undefined;
    const page = await users.list(search === undefined ? { offset, limit } : { offset, limit, search });
    const items = Array.isArray(page) ? page : page.items;
    const total = Array.isArray(page) ? offset + page.length : page.total;
    return { users: items.map((u) => toUserSummary(u, domain)), total, offset, limit } satisfies UserListResponse;
  });

  app.post<{ Body: CreateUserRequest }>('/users', {
    schema: { body: CreateUserRequest, response: { 201: UserSummary, ...errors } },
  }, async (request, reply) => {
    const body = request.body;
    if (await users.findByName(body.name)) throw new HttpError('USER_EXISTS');
    await users.create({
      name: body.name,
      displayName: body.displayName?.trim() || body.name,
      password: body.password,
      ...(body.phone ? { phone: body.phone } : {}),
      admin: body.admin ?? false,
      realm: domain,
    });
    log.info('admin: user created', { by: principalOf(request).name, user: body.name, admin: body.admin ?? false });
    return reply.code(201).send(await summaryOf(body.name));
  });

  function forbidSelf(requester: string, target: string): void {
    if (requester === target) throw new HttpError('CANNOT_MODIFY_SELF');
  }

  app.post<{ Params: UserNameParams }>('/users/:name/disable', {
    schema: { params: UserNameParams, response: { 200: UserSummary, ...errors } },
  }, async (request) => {
    const { name } = request.params;
    forbidSelf(principalOf(request).name, name);
    await mustFind(name);
    await users.setDisabled(name, true);
    log.info('admin: user disabled', { by: principalOf(request).name, user: name });
    return summaryOf(name);
  });

  app.post<{ Params: UserNameParams }>('/users/:name/enable', {
    schema: { params: UserNameParams, response: { 200: UserSummary, ...errors } },
  }, async (request) => {
    const { name } = request.params;
    await mustFind(name);
    await users.setDisabled(name, false);
    log.info('admin: user enabled', { by: principalOf(request).name, user: name });
    return summaryOf(name);
  });

  app.post<{ Params: UserNameParams; Body: SetAdminRequest | undefined }>('/users/:name/admin', {
    schema: { params: UserNameParams, response: { 200: UserSummary, ...errors } },
  }, async (request) => {
    const { name } = request.params;
    // The body is optional (`POST .../admin` grants); validated by hand because fastify
    // would reject an absent body against an object schema.
    const raw: unknown = request.body;
    let admin = true;
    if (raw !== undefined && raw !== null) {
      const value = (raw as { admin?: unknown }).admin;
      if (typeof raw !== 'object' || (value !== undefined && typeof value !== 'boolean')) {
        throw new HttpError('BAD_REQUEST', 'Body must be { "admin": boolean }.');
      }
      if (typeof value === 'boolean') admin = value;
    }
    if (!admin) forbidSelf(principalOf(request).name, name);
    await mustFind(name);
    await users.setAdmin(name, admin);
    log.info('admin: role changed', { by: principalOf(request).name, user: name, admin });
    return summaryOf(name);
  });

  app.post<{ Params: UserNameParams; Body: ResetPasswordRequest }>('/users/:name/reset-password', {
    schema: { params: UserNameParams, body: ResetPasswordRequest, response: { 204: { type: 'null' }, ...errors } },
  }, async (request, reply) => {
    const { name } = request.params;
    await mustFind(name);
    await users.setPassword(name, request.body.password, domain);
    log.info('admin: password reset', { by: principalOf(request).name, user: name });
    return reply.code(204).send();
  });
}
