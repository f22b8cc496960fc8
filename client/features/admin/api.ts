/** The admin API (/api/admin/*) with the signed-in admin's token; schemas from shared/api/admin. */
import type { CreateUserRequest, RegistrationListResponse, UserListResponse, UserSummary } from '../../../shared/api/admin';
import { API_PATHS } from '../../../shared/api/paths';
import { apiRequest } from '../base/http';

export interface HealthResponse {
  ready: boolean;
  server?: string;
  node?: string;
  pid?: number;
  uptimeSec?: number;
  memory?: { rss: number; heapUsed: number };
  [detail: string]: unknown;
}

export class AdminApi {
  constructor(private readonly token: string) {}

  listUsers(query: { offset: number; limit: number; search?: string }, signal?: AbortSignal): Promise<UserListResponse> {
    const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
    if (query.search) params.set('search', query.search);
    return apiRequest(`${API_PATHS.adminUsers}?${params}`, { token: this.token, ...(signal ? { signal } : {}) });
  }

  createUser(user: CreateUserRequest): Promise<UserSummary> {
    return apiRequest(API_PATHS.adminUsers, { method: 'POST', body: user, token: this.token });
  }

  setDisabled(name: string, disabled: boolean): Promise<UserSummary> {
    return apiRequest(`${API_PATHS.adminUsers}/${encodeURIComponent(name)}/${disabled ? 'disable' : 'enable'}`, { method: 'POST', token: this.token });
  }

  setAdmin(name: string, admin: boolean): Promise<UserSummary> {
    return apiRequest(`${API_PATHS.adminUsers}/${encodeURIComponent(name)}/admin`, { method: 'POST', body: { admin }, token: this.token });
  }

  resetPassword(name: string, password: string): Promise<void> {
    return apiRequest(`${API_PATHS.adminUsers}/${encodeURIComponent(name)}/reset-password`, { method: 'POST', body: { password }, token: this.token });
  }

  registrations(): Promise<RegistrationListResponse> {
    return apiRequest(API_PATHS.adminRegistrations, { token: this.token });
  }

  health(): Promise<HealthResponse> {
    return apiRequest(API_PATHS.adminHealth, { token: this.token });
  }
}
