/** The registry flags of pull and push (options.ts) parsed into the store's RegistryOptions. */
import * as E from 'fp-ts/lib/Either.js'
import { err, type PullOptions, type StorageError } from '@stratum/core'
import type { RegistryFlags } from './options.js'

/** The flags as store options; InvalidName for a `--creds` without `user:`. */
export const registryAccess = (
  o: RegistryFlags,
): E.Either<StorageError, Pick<PullOptions, 'insecure' | 'credentials'>> => {
  const insecure = o.insecure === true ? { insecure: true } : {}
  if (o.creds === undefined) return E.right(insecure)
  const i = o.creds.indexOf(':')
  return i <= 0
    ? E.left(err('InvalidName', { name: '--creds', reason: 'expected <user>:<password>' }))
    : E.right({ ...insecure, credentials: { username: o.creds.slice(0, i), password: o.creds.slice(i + 1) } })
}
