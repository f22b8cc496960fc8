/**
 * V8 flags the Front End process runs with (`npm start` in package.json repeats them; a unit test
 * keeps the two in step, and the benchmark starts its Front End with them too).
 *
 * --max-semi-space-size=64: a REGISTER allocates ~40 KB of short-lived objects, and with V8's
 * default young generation (16 MB semi-spaces) garbage collection was ~28 % of the CPU under load.
 * 64 MB semi-spaces bought +18–31 % REGISTER/s (docs/performance.md) for up to ~40 MB more memory,
 * and only under load: the young generation grows from 1 MB as allocation demands.
 */
export const FRONT_END_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
