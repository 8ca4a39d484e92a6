/** The value of a call that must succeed; a failure throws, naming the call and the error. */
export { unwrap as ok } from '@stratum/core/testing'
