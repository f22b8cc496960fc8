/** The SIP message layer: model, parser, framer, serializer and builders (see types.ts). */
export * from './types';
export * from './errors';
export * from './headers';
export * from './uri';
export * from './nameaddr';
export * from './via';
export * from './accessors';
export * from './parse';
export * from './framer';
export * from './serialize';
export * from './response';
export * from './multipart';
export * from './build';
export { unquote, quote } from './charset';
