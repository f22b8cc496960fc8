export { buildHttpServer } from './server';
export type {
  AdminView, HealthReport, HttpDeps, HttpLockout, HttpLog, HttpTokenService, HttpUser, HttpUserStore, NewUser, TokenClaims,
  UserListPage,
} from './deps';
export { HttpError } from './errors';
