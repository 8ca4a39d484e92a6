/**
 * What command declarations share (loaded at start-up, so no store code): the `-z` choices, the
 * repeatable-option collector, `-o` column lists, and the registry flags of pull and push.
 */
import type { Command } from 'commander'
import type { Compression } from '@stratum/core'

/** The layer compressions `-z` takes (`save`, `package`, `push`). */
export const COMPRESSIONS: readonly Compression[] = ['gzip', 'zstd', 'none']

/** A repeatable option's collector (`-l k=v -l k2=v2`): every value, in order. */
export const collect = (v: string, acc: readonly string[] = []): string[] => [...acc, v]

/** `-o a,b,c` as a list. */
export const parseColumns = (s: string): readonly string[] => s.split(',').filter((c) => c !== '')

/** The registry flags as commander parsed them. */
export interface RegistryFlags {
  readonly insecure?: boolean
  readonly creds?: string
}

/** Adds the two registry flags to `cmd`. */
export const withRegistryFlags = (cmd: Command): Command =>
  cmd
    .option('--insecure', 'plain HTTP, only to a loopback host (a test registry)')
    .option(
      '--creds <user:password>',
      'credentials (default: $REGISTRY_AUTH_FILE, containers auth.json, ~/.docker/config.json)',
    )
