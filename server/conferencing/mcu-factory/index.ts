/** The Conferencing Server Factory: MCU registration over HTTP and the choice of MCU per conference. */
export { conferencingFactoryPlugin, type ConferencingFactoryPluginOptions } from './plugin';
export {
  ConferencingServerFactory,
  DEFAULT_LOAD_INTERVAL_MS,
  DEFAULT_SILENT_AFTER_MS,
  SILENT_AFTER_REPORTS,
  type ConferencingServerFactoryOptions,
  type FactoryLog,
  type McuInfo,
} from './factory';
export { MCU_FACTORY_MIGRATIONS } from './schema';
export { FACTORY_ERRORS, FactoryHttpError, NoMcuAvailableError, type FactoryErrorCode } from './errors';
export { CONFERENCE_WEIGHT, loadScore } from './ranking';
