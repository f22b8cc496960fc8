/**
 * The SIP message layer (RFC 3261 §7, §18.3, §19, §20, §25; RFC 4475): everything above it imports
 * from here.
 *   model        types.ts (SipMessage, SipUri, NameAddr, ViaHeader, ParserLimits), errors.ts
 *   headers      SipHeaders: ordered raw fields, canonical names, list splitting, edit + version
 *   grammar      parseUri/formatUri/uriEquals, parseNameAddr(List)/formatNameAddr, parseVia/formatVia
 *   accessors    topVia, allVias, fromOf, toOf, tagOf, callIdOf, cseqOf, maxForwardsOf, contactsOf,
 *                routesOf, recordRoutesOf, pathsOf, expiresOf, contentLengthOf, optionTags, mediaTypeOf
 *   wire         parseMessage (datagram / WebSocket frame), StreamFramer (TCP/TLS), serialize
 *   building     createRequest, createResponse, errorResponseFor, defaultReason, newBranch/newTag/newCallId
 *   bodies       parseMultipart, buildMultipart
 */
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
