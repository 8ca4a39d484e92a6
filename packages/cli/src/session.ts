/**
 * Opening the backend a command runs on, from the global options: the simulator persisted to
 * a state file (default), or real ZFS under a base dataset. Opening the store creates its
 * layout when missing and runs its recovery (see core's openLayerStore); a read-only command
 * does not create a missing simulator state file. Only the driver asked for is loaded.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import {
  type DatasetName,
  type Driver,
  err,
  ioError,
  type LayerStore,
  openLayerStore,
  parseDatasetName,
  poolOf,
  type StorageError,
} from '@stratum/core'
import type { Io } from './io.js'

export interface GlobalOptions {
  readonly driver: 'sim' | 'zfs'
  readonly state?: string
  readonly base?: string
  readonly json: boolean
}

/** An open store: commands use its API only (no driver calls of their own). */
export interface Session {
  readonly store: LayerStore
  readonly base: DatasetName
  /** the simulator's state file, for the sim driver */
  readonly stateFile: string | undefined
}

export const DEFAULT_SIM_BASE = 'stratum'

/** The simulator state file: --state, else $STRATUM_STATE, else .stratum/state under the cwd. */
export const stateFileOf = (o: GlobalOptions, io: Io): string =>
  resolve(io.cwd, o.state ?? io.env.STRATUM_STATE ?? '.stratum/state')

/** The base dataset the options name, unchecked: --base, else the simulator's default. */
export const baseNameOf = (o: GlobalOptions): string | undefined =>
  o.base ?? (o.driver === 'sim' ? DEFAULT_SIM_BASE : undefined)

const baseOf = (o: GlobalOptions): E.Either<StorageError, DatasetName> =>
  o.base !== undefined
    ? parseDatasetName(o.base)
    : o.driver === 'sim'
      ? parseDatasetName(DEFAULT_SIM_BASE)
      : E.left(err('InvalidName', { name: '', reason: '--base <pool/dataset> is required with --driver zfs' }))

/** How a command uses the store: `read` never creates a missing simulator state file (nor its directory), nor a store's datasets. */
export type Access = 'read' | 'write'

const NO_STORE = "no store here: 'stratum init' makes one, --state or $STRATUM_STATE names another"

const openDriver = (
  o: GlobalOptions,
  io: Io,
  base: DatasetName,
  access: Access,
): TE.TaskEither<StorageError, { driver: Driver; stateFile: string | undefined }> => {
  if (o.driver === 'zfs')
    return pipe(
      TE.fromTask(() => import('@stratum/zfs-driver')),
      TE.map((zfs) => ({
        driver: zfs.createZfsDriver({ createProperties: zfs.LAYER_STORE_PROPERTIES }),
        stateFile: undefined,
      })),
    )
  const stateFile = stateFileOf(o, io)
  if (access === 'read' && !existsSync(stateFile)) return TE.left(ioError('ENOENT', stateFile, NO_STORE))
  return pipe(
    TE.tryCatch(
      () => mkdir(dirname(stateFile), { recursive: true }),
      (e) => ioError('EIO', dirname(stateFile), (e as Error).message, e),
    ),
    TE.flatMap(() => TE.fromTask(() => import('@stratum/sim-driver'))),
    TE.flatMap((sim) => sim.openSimDriver({ stateFile, pools: [poolOf(base)] })),
    TE.map((driver) => ({ driver, stateFile })),
  )
}

export interface Backend {
  readonly driver: Driver
  readonly base: DatasetName
  readonly stateFile: string | undefined
}

/** The driver and base dataset, without opening the store (which would run its recovery). */
export const openBackend = (o: GlobalOptions, io: Io, access: Access = 'write'): TE.TaskEither<StorageError, Backend> =>
  pipe(
    TE.fromEither(baseOf(o)),
    TE.flatMap((base) =>
      pipe(
        openDriver(o, io, base, access),
        TE.map(({ driver, stateFile }) => ({ driver, base, stateFile })),
      ),
    ),
  )

/** Opens the store on the backend; `read` makes nothing: a base that holds no store is DatasetNotFound. */
export const openStore = (b: Backend, access: Access = 'write'): TE.TaskEither<StorageError, Session> =>
  pipe(
    openLayerStore(b.driver, b.base, { create: access === 'write' }),
    TE.map((store): Session => ({ store, base: b.base, stateFile: b.stateFile })),
  )

export const openSession = (o: GlobalOptions, io: Io, access: Access = 'write'): TE.TaskEither<StorageError, Session> =>
  pipe(
    openBackend(o, io, access),
    TE.flatMap((b) => openStore(b, access)),
  )
