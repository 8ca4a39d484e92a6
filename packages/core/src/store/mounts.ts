/**
 * Mounting a container's root for a runtime, reference-counted across processes. The holds
 * are one user property of the container, `stratum:holders`: one line `<holder>\t<created>`
 * per holder, read and rewritten only under the container lock (lock.ts, op `mounting`), so a
 * mount and the last unmount never interleave. A holder is this process's owner (owner.ts) by
 * default: recover() releases it once that process is gone (SIGKILL included). Any other name
 * (the CLI's `cli`) is a named hold that only unmount releases. The root is mounted while
 * anyone holds it and unmounted when the last hold goes.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import type { Driver } from '../driver.js'
import {
  type AnyName,
  type ContainerId,
  type DatasetName,
  datasetOf,
  isSnapshotName,
  type PropertyName,
} from '../names.js'
import type { StoreContext } from './context.js'
import { nowStamp } from './layout.js'
import { releaseLock, takeLock } from './lock.js'
import { ageOf, parseOwner } from './owner.js'
import { fail, must, steps, undoing } from './steps.js'

export const HOLDERS = 'stratum:holders' as PropertyName

export interface Hold {
  readonly holder: string
  readonly created: string
}

export const parseHolds = (v: string | undefined): Hold[] =>
  (v ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [holder = '', created = ''] = l.split('\t')
      return { holder, created }
    })

const holdsText = (hs: readonly Hold[]): string => hs.map((h) => `${h.holder}\t${h.created}`).join('\n')

/** A holder name is one line without tabs. */
const holderProblem = (h: string): string | undefined =>
  h === '' || /[\t\n]/.test(h) ? `a mount holder is a non-empty name without tabs or newlines, not '${h}'` : undefined

/** Reads the holds of `c`, applies `change`, writes them back and mounts or unmounts to match; under the lock. */
const withHolds = (
  ctx: StoreContext,
  c: DatasetName,
  change: (hs: Hold[]) => Hold[],
): TE.TaskEither<StorageError, readonly Hold[]> =>
  steps(async () => {
    await must(takeLock(ctx, c, 'mounting'))
    return undoing(releaseLock(ctx, c), async () => {
      const d = ctx.driver
      const before = parseHolds((await must(d.getProperty(c, HOLDERS)))?.value)
      const after = change(before)
      if (holdsText(after) !== holdsText(before))
        await must(after.length === 0 ? d.inheritProperty(c, HOLDERS) : d.setProperty(c, HOLDERS, holdsText(after)))
      await must(after.length === 0 ? d.unmount(c) : d.mount(c))
      await releaseLock(ctx, c)()
      return after
    })
  })

/** Adds `holder`'s hold (idempotent) and gives the root's host path (Unsupported on drivers without host paths). */
export const mountContainer = (
  ctx: StoreContext,
  id: ContainerId,
  holder?: string,
): TE.TaskEither<StorageError, string> =>
  steps(async () => {
    const h = holder ?? ctx.owner.self
    const bad = holderProblem(h)
    if (bad !== undefined) return fail(err('InvalidName', { name: h, reason: bad }))
    if (!ctx.driver.capabilities.hostPaths)
      return fail(err('Unsupported', { what: `host path of container '${id}': the driver has no host paths` }))
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    const add = (hs: Hold[]) => (hs.some((x) => x.holder === h) ? hs : [...hs, { holder: h, created: nowStamp() }])
    await must(withHolds(ctx, c, add))
    return must(ctx.driver.hostPath(c))
  })

/** Drops `holder`'s hold (idempotent); the last one unmounts the root. */
export const unmountContainer = (
  ctx: StoreContext,
  id: ContainerId,
  holder?: string,
): TE.TaskEither<StorageError, void> =>
  steps(async () => {
    const h = holder ?? ctx.owner.self
    const c = await must(TE.fromEither(ctx.layout.container(id)))
    await must(withHolds(ctx, c, (hs) => hs.filter((x) => x.holder !== h)))
  })

/** The holds of processes that are gone (named holds never are). */
export const deadHolds = (ctx: StoreContext, v: string | undefined): Hold[] =>
  parseHolds(v).filter((x) => parseOwner(x.holder) !== undefined && !ctx.owner.isLive(x.holder, ageOf(x.created)))

/** recover(): releases the holds of dead processes of `c`. */
export const releaseDeadHolds = (ctx: StoreContext, c: DatasetName): TE.TaskEither<StorageError, readonly Hold[]> => {
  let dropped: Hold[] = []
  return TE.map(() => dropped)(
    withHolds(ctx, c, (hs) => {
      const dead = new Set(deadHolds(ctx, holdsText(hs)).map((x) => x.holder))
      dropped = hs.filter((x) => dead.has(x.holder))
      return hs.filter((x) => !dead.has(x.holder))
    }),
  )
}

/** A failure that says the files of `c` are not reachable because it is not mounted (both drivers' texts). */
const notMounted = (e: StorageError): boolean => e._tag === 'Io' && /is not mounted|unmounted/.test(e.message)

/**
 * Runs `op`; when it fails because a dataset it reads is unmounted (a root whose last hold was
 * released, a layer with canmount=noauto after a reboot), mounts `datasets` and runs it once
 * more. The common case, everything mounted, costs nothing more; what it mounts stays mounted.
 */
export const remounting = <A>(
  d: Driver,
  datasets: readonly DatasetName[],
  op: () => TE.TaskEither<StorageError, A>,
): TE.TaskEither<StorageError, A> =>
  TE.orElse((e: StorageError) =>
    notMounted(e)
      ? TE.flatMap(() => op())(TE.traverseSeqArray((c: DatasetName) => d.mount(c))([...new Set(datasets)]))
      : TE.left(e),
  )(op())

/** `remounting` of one dataset of the store. */
export const onMounted = <A>(
  ctx: StoreContext,
  c: DatasetName,
  op: () => TE.TaskEither<StorageError, A>,
): TE.TaskEither<StorageError, A> => remounting(ctx.driver, [c], op)

/** The dataset whose files `n` shows: itself, or a snapshot's dataset. */
export const filesOf = (n: AnyName): DatasetName => (isSnapshotName(n) ? datasetOf(n) : n)
