/** Public surface of the AV MCU contracts (types and schemas only; no I/O). */
export * from './ids';
export * from './errors';
export * from './http';
export * from './factory';
export * from './signaling';
export * from './credential';
export * from './env';
