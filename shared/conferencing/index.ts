/** Conferencing contracts shared by the Front End (Focus Factory, Focus) and the web client. */
export * from './types';
export * from './uri';
export * from './c3p';
export * from './conferenceInfo';
export { parseXml, escapeXml, XmlError, type XmlElement } from './xml';
