/**
 * Presence, shared by the server and the web client (pure): availability classes (OCS numbers),
 * document types, the PIDF reader/writer with our `ocs:` extensions, the privacy matrix, and the
 * small XML reader they use. docs/presence.md describes the wire and the rules.
 */
export * from './availability';
export * from './types';
export * from './pidf';
export * from './privacy';
export { parseXml, escapeXml, XmlError, childOf, childrenOf, descendantsOf, type XmlElement } from './xml';
