/**
 * MCU <-> Conferencing Server Factory (server/conferencing): an MCU registers over HTTP with its
 * media types and capacity, then reports its load every few seconds; the Factory picks an MCU per
 * conference and media type from these reports. Bearer auth with the shared server secret.
 *
 *   POST {factory}/v1/mcus                      McuRegistration   -> 200/201 McuRegistrationReply
 *   PUT  {factory}/v1/mcus/:mcuId/load          McuLoad           -> 204 (404: unknown, register again)
 *   DELETE {factory}/v1/mcus/:mcuId             (graceful stop)   -> 204
 */
import { Type, type Static } from '@sinclair/typebox';
import { MediaTypeSchema } from './ids';

export const FACTORY_PATHS = {
  register: '/v1/mcus',
  load: '/v1/mcus/:mcuId/load',
  mcu: '/v1/mcus/:mcuId',
} as const;

export const McuKindSchema = Type.Union([Type.Literal('av'), Type.Literal('im')]);

export const McuRegistration = Type.Object(
  {
    /** Stable for the life of the process; a restarted MCU registers under a new id. */
    mcuId: Type.String({ minLength: 1, maxLength: 128 }),
    kind: McuKindSchema,
    /** Base URL of the MCU's HTTP API (MCU_API_PATHS are relative to it). */
    apiUrl: Type.String({ minLength: 1, maxLength: 2048 }),
    mediaTypes: Type.Array(MediaTypeSchema, { minItems: 1 }),
    capacity: Type.Object({
      workers: Type.Integer({ minimum: 1 }),
      /** Consumers (forwarded streams) the MCU takes before it counts as full. */
      maxConsumers: Type.Integer({ minimum: 1 }),
    }),
    version: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type McuRegistration = Static<typeof McuRegistration>;

export const McuRegistrationReply = Type.Object({
  mcuId: Type.String(),
  /** How often the Factory wants load reports; the MCU keeps its own default when absent. */
  loadIntervalMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 600_000 })),
});
export type McuRegistrationReply = Static<typeof McuRegistrationReply>;

export const WorkerLoad = Type.Object({
  pid: Type.Integer(),
  routers: Type.Integer({ minimum: 0 }),
  /** CPU used since the previous report, 0..1 of one core (from worker.getResourceUsage). */
  cpu: Type.Number({ minimum: 0 }),
});

export const McuLoad = Type.Object(
  {
    mcuId: Type.String(),
    at: Type.Integer({ description: 'epoch ms' }),
    conferences: Type.Integer({ minimum: 0 }),
    users: Type.Integer({ minimum: 0 }),
    transports: Type.Integer({ minimum: 0 }),
    producers: Type.Integer({ minimum: 0 }),
    consumers: Type.Integer({ minimum: 0 }),
    /** Mean of the workers' cpu, 0..1. */
    cpu: Type.Number({ minimum: 0 }),
    workers: Type.Array(WorkerLoad),
  },
  { additionalProperties: false },
);
export type McuLoad = Static<typeof McuLoad>;
