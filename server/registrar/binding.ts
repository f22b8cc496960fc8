/**
 * The registrar's view of bindings: the record type and key are the storage layer's
 * (server/db/bindings.ts); the location service needs only this part of the store.
 */
import type { Binding } from '../db/bindings';

export type { Binding } from '../db/bindings';
export { bindingKey } from '../db/bindings';

export interface BindingRecords {
  upsert(b: Binding): Promise<void>;
  remove(aor: string, key: string): Promise<unknown>;
  removeExpired(now: number): Promise<number>;
  listByFrontEnd(frontEnd: string): Promise<Binding[]>;
}
