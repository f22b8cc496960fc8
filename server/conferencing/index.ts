/** Conferencing services. The Conferencing Server Factory (MCU registration and choice) lives in ./mcu-factory. */
export * from './mcu-factory/index';
