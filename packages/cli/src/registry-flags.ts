/** The options pull and push share: `--insecure` and `--creds user:password`, parsed into the store's RegistryOptions. */
import type { Command } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { err, type PullOptions, type StorageError } from '@stratum/core'

export interface RegistryFlags {
  readonly insecure?: boolean
  readonly creds?: string
}

/** Adds the two options to `cmd`. */
export const withRegistryFlags = (cmd: Command): Command =>
  cmd
    .option('--insecure', 'plain HTTP, only to a loopback host (a test registry)')
    .option(
      '--creds <user:password>',
      'credentials (default: $REGISTRY_AUTH_FILE, containers auth.json, ~/.docker/config.json)',
    )

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
