/**
 * FreeBSD jail delegation of a dataset (zfs-jail(8)): `jailed=on` lets a jail manage the
 * dataset once `zfs jail <jail> <dataset>` attaches it; `zfs unjail` detaches it. Argv and
 * texts from OpenZFS's cmd/zfs do_jail and libzfs zfs_jail (FreeBSD). NEVER RUN ON FREEBSD:
 * checked only against the fake executor. Elsewhere every call is Unsupported, no zfs run.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { err, type DatasetName, type StorageError } from '@stratum/core'
import { parseGet } from '../parse/get.js'
import { GET_COLUMNS } from '../zfs/argv.js'
import { localExecutor, type Executor } from '../zfs/executor.js'
import { makeRunner } from '../zfs/run.js'
import { type JailRef, parseJailRef } from './ref.js'

/** Options of `createZfsJails`. */
export interface ZfsJailOptions {
  readonly exec?: Executor
  readonly sudo?: readonly string[]
  /** where this runs (default process.platform): jails exist only on 'freebsd' */
  readonly platform?: string
}

/** Jail delegation of datasets; `supported` is false off FreeBSD, where every call is Unsupported. */
export interface ZfsJails {
  readonly supported: boolean
  /** `zfs set jailed=on` then `zfs jail <jail> <name>` (2 zfs commands); attaching it again succeeds */
  delegate(name: DatasetName, jail: string): TE.TaskEither<StorageError, void>
  /** `zfs unjail <jail> <name>` (1 zfs command); a dataset not attached succeeds; jailed stays on */
  undelegate(name: DatasetName, jail: string): TE.TaskEither<StorageError, void>
  /** the `jailed` property (1 zfs get) */
  jailed(name: DatasetName): TE.TaskEither<StorageError, boolean>
}

/** The argv (after `zfs`) of the jail commands. */
export const jailArgs = {
  /** `zfs jail <jail> <name>`: attach the dataset to the jail */
  jail: (jail: JailRef, name: DatasetName): string[] => ['jail', jail, name],
  /** `zfs unjail <jail> <name>`: detach it */
  unjail: (jail: JailRef, name: DatasetName): string[] => ['unjail', jail, name],
  /** `zfs set jailed=on <name>`: let a jail manage it */
  setJailed: (name: DatasetName): string[] => ['set', 'jailed=on', name],
  /** `zfs get jailed <name>`, parsable */
  getJailed: (name: DatasetName): string[] => ['get', '-H', '-p', '-o', GET_COLUMNS, 'jailed', name],
} as const

/** The kernel's "already so" answers (EEXIST on jail, ENOENT on unjail), which libzfs words as dataset errors. */
const ALREADY = /^cannot jail '[^']*': dataset already exists$|^cannot unjail '[^']*': dataset does not exist$/m

/** Reads the "already so" answers as success, so delegate and undelegate are idempotent. */
const idempotent =
  (exec: Executor): Executor =>
  async (argv) => {
    const r = await exec(argv)
    return r.code !== 0 && ALREADY.test(r.stderr) ? { ...r, code: 0 } : r
  }

/** do_jail's usage failure for a jid or name jail_getid(3) does not know. */
const noJail =
  (jail: JailRef) =>
  (e: StorageError): StorageError =>
    e._tag === 'Io' && /invalid jail id or name/.test(e.message)
      ? err('InvalidName', { name: jail, reason: 'no jail has this jid or name' })
      : e

/**
 * Jail delegation through the `zfs` command (no shell; `sudo` prepended when given). A dataset
 * already attached to the jail, or not attached on unjail, succeeds; zfs's other failures map
 * as the driver's do (zfs/errors.ts).
 */
export const createZfsJails = (opts: ZfsJailOptions = {}): ZfsJails => {
  const supported = (opts.platform ?? process.platform) === 'freebsd'
  const run = makeRunner(idempotent(opts.exec ?? localExecutor), opts.sudo ?? [])
  const unit = TE.map((): void => undefined)
  const guard = <A>(what: string, body: () => TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A> =>
    supported ? body() : TE.left(err('Unsupported', { what: `${what}: jails exist only on FreeBSD` }))
  const attach = (verb: 'jail' | 'unjail', name: DatasetName, jail: JailRef) =>
    pipe(run(jailArgs[verb](jail, name), name), unit, TE.mapLeft(noJail(jail)))
  return {
    supported,
    delegate: (name, jail) =>
      guard(`zfs jail ${jail} ${name}`, () =>
        pipe(
          TE.fromEither(parseJailRef(jail)),
          TE.flatMap((j) =>
            pipe(
              run(jailArgs.setJailed(name), name),
              TE.flatMap(() => attach('jail', name, j)),
            ),
          ),
        ),
      ),
    undelegate: (name, jail) =>
      guard(`zfs unjail ${jail} ${name}`, () =>
        pipe(
          TE.fromEither(parseJailRef(jail)),
          TE.flatMap((j) => attach('unjail', name, j)),
        ),
      ),
    jailed: (name) =>
      guard(`zfs get jailed ${name}`, () =>
        pipe(
          run(jailArgs.getJailed(name), name),
          TE.flatMapEither((out) => parseGet(name, out.toString('utf8'))),
          TE.flatMap((rows) => {
            const v = rows.find((r) => r.name === name && r.property === 'jailed')?.value
            return v === 'on' || v === 'off'
              ? TE.right(v === 'on')
              : TE.left(err('Io', { code: 'EIO', path: name, message: `zfs get jailed of '${name}' printed '${v}'` }))
          }),
        ),
      ),
  }
}
