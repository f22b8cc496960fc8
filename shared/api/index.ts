export * from './errors';
export * from './paths';
export * from './login-name';
export * from './session';
export * from './admin';
