/**
 * exportTree: a layer's tree (its @extracted snapshot) or a container's root copied into an
 * empty file tree the caller opens (a host directory through a confined tree). A failure or an
 * abort empties the target again: nothing is left half-written.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { ioError, type StorageError } from '../errors.js'
import type { FileTree } from '../fs.js'
import { type AnyName, parseContainerId } from '../names.js'
import type { StoreContext } from './context.js'
import { cancelled, layerMeter, type TaskControl } from './control.js'
import { copyTree, emptyTree } from './copy-tree.js'
import { resolveLayer } from './layer-reference.js'
import { filesOf, remounting } from './mounts.js'
import { attempt, fail, must, steps } from './steps.js'
import type { ExportedTree, ExportOptions, ExportSource } from './types.js'

/** A container when `runtime/<source>` exists, else a layer reference (see resolveLayer); and its dataset. */
const sourceOf = async (ctx: StoreContext, source: string): Promise<readonly [ExportSource, AnyName]> => {
  const id = parseContainerId(source)
  const c = E.isRight(id) ? ctx.layout.container(id.right) : id
  if (E.isRight(id) && E.isRight(c) && (await must(ctx.driver.exists(c.right))))
    return [{ kind: 'container', id: id.right }, c.right]
  const layer = await must(resolveLayer(ctx, source))
  return [{ kind: 'layer', layer }, ctx.layout.layerSnap(layer)]
}

export const exportTree = (
  ctx: StoreContext,
  source: string,
  target: FileTree | TE.TaskEither<StorageError, FileTree>,
  opts: ExportOptions,
  control: TaskControl,
): TE.TaskEither<StorageError, ExportedTree> =>
  steps(async () => {
    const what = `export of ${source}`
    const [src, dataset] = await sourceOf(ctx, source)
    const tree = await must(remounting(ctx.driver, [filesOf(dataset)], () => ctx.driver.fs(dataset)))
    const into = typeof target === 'function' ? await must(target) : target
    if ((await must(into.readdir(''))).length > 0) fail(ioError('ENOTEMPTY', '', `${what}: the target is not empty`))
    const meter = layerMeter(control, { index: 0, count: 1, label: dataset, bytesTotal: undefined })
    const xattrs = ctx.driver.capabilities.xattrs ? opts.xattrs : undefined
    const copied = await attempt(
      steps(() =>
        copyTree(tree, into, {
          owners: opts.owners === true,
          ...(xattrs === undefined ? {} : { xattrs }),
          onEntry: (_, st) => {
            if (control.signal?.aborted === true) fail(cancelled(what))
            meter.entry()
            if (st.type === 'F') meter.bytes(st.size)
          },
        }),
      ),
    )
    if (E.isRight(copied)) {
      meter.end('done')
      return { source: src, dataset, ...copied.right }
    }
    const undone = await attempt(steps(() => emptyTree(into)))
    const e = copied.left
    return fail(
      E.isLeft(undone) && e._tag === 'Cancelled'
        ? { ...e, what: `${e.what} (the target left partly written: ${undone.left._tag})` }
        : e,
    )
  })
