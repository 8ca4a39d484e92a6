/**
 * Process checks for any driver: store processes SIGKILLed at random moments recover, and
 * processes racing on shared layers all succeed. Test side: `runProcessChecks(options)`;
 * child side (the driver's child script): `storeChildMain(openDriver)` from
 * '@stratum/conformance/child'. Sizes and time bounds: settings.ts.
 */
export { runProcessChecks } from './group.js'
export type { ProcessCheck, ProcessChecksOptions } from './options.js'
export type { KillSettings } from './settings.js'
