/**
 * Opening a LayerStore: ensure <base>/storage, storage/empty@extracted, runtime and tmp exist
 * (idempotent, concurrent openers welcome), run recover() (cheap: usually the one listing of
 * the base made to see what exists), and hand out the operations.
 */
import type * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import type { Driver } from '../driver.js'
import { err, type StorageError } from '../errors.js'
import { type DatasetName, parseContainerId } from '../names.js'
import {
  checkArchiveArgs,
  checkBytes,
  checkExtractImageOptions,
  checkLayerMeta,
  checkPullOptions,
  checkPushOptions,
  checkSaveImageArgs,
  checkTaskControl,
} from './boundary.js'
import { commit } from './commit.js'
import { applyToContainer, listContainers, removeContainer, start } from './container.js'
import { mountContainer, unmountContainer } from './mounts.js'
import { defaultViewName, viewLayer } from './view.js'
import { sizedContainers, sizedLayers, storeUsage } from './usage.js'
import type { StoreContext, StoreOptions } from './context.js'
import { extractOne } from './extract.js'
import { extractImage } from './extract-image.js'
import { extractArchive } from './extract-archive.js'
import { exportTree } from './export.js'
import { listImages, removeImage } from './images.js'
import { checkLabelChange } from './labels.js'
import { labelContainer, labelImage } from './relabel.js'
import { prune } from './prune.js'
import { pull } from './pull.js'
import { push } from './push.js'
import { resolveChain, resolveLayer } from './layer-reference.js'
import { listLayers, packageStoredLayer, removeLayer } from './layers.js'
import { storeLayout } from './layout.js'
import { ensureSkeleton } from './skeleton.js'
import { defaultOwnerPolicy } from './owner.js'
import { recover } from './recover.js'
import { saveImage } from './save.js'
import { must, steps } from './steps.js'
import type { LayerStore, RecoveryReport } from './types.js'

const check = <A>(e: E.Either<StorageError, A>): Promise<A> => must(TE.fromEither(e))

/** The operations, with their arguments checked where they enter (library callers may pass anything). */
const storeOf = (ctx: StoreContext, recovered: RecoveryReport): LayerStore => ({
  layout: ctx.layout,
  recovered,
  extractImage: (dir, ref, control, options) =>
    steps(async () => {
      const c = await check(checkTaskControl(control))
      return must(extractImage(ctx, dir, ref, c, await check(checkExtractImageOptions(options))))
    }),
  extractArchive: (path, ref, control, options) =>
    steps(async () => {
      const a = await check(checkArchiveArgs(path, ref))
      const c = await check(checkTaskControl(control))
      return must(extractArchive(ctx, a.path, a.ref, c, await check(checkExtractImageOptions(options))))
    }),
  pull: (reference, control, options) =>
    steps(async () => {
      const c = await check(checkTaskControl(control))
      return must(pull(ctx, String(reference), c, await check(checkPullOptions(options))))
    }),
  push: (layer, reference, options) =>
    steps(async () => {
      const o = await check(checkPushOptions(options))
      return must(push(ctx, await must(resolveLayer(ctx, layer)), String(reference), o))
    }),
  resolveLayer: (ref) => resolveLayer(ctx, ref),
  extractLayer: (parent, blob, meta, control) =>
    steps(async () => {
      const c = await check(checkTaskControl(control))
      const p = await must(resolveLayer(ctx, parent))
      const b = await check(checkBytes(blob, 'layer blob'))
      return must(extractOne(ctx, p, b, await check(checkLayerMeta(meta)), c))
    }),
  start: (id, layer, options) =>
    steps(async () => {
      const c = await check(parseContainerId(id))
      return must(start(ctx, c, await must(resolveLayer(ctx, layer)), options))
    }),
  view: (layer, name) =>
    steps(async () => {
      const l = await must(resolveLayer(ctx, layer))
      return must(viewLayer(ctx, name === undefined ? defaultViewName(l) : await check(parseContainerId(name)), l))
    }),
  apply: (id, tar) =>
    steps(async () => {
      const b = await check(checkBytes(tar, 'tar to apply'))
      return must(applyToContainer(ctx, await check(parseContainerId(id)), b))
    }),
  commit: (id, opts) => steps(async () => must(commit(ctx, await check(parseContainerId(id)), opts))),
  saveImage: (layer, dir, ref, options) =>
    steps(async () => {
      const a = await check(checkSaveImageArgs(dir, ref, options))
      return must(saveImage(ctx, await must(resolveLayer(ctx, layer)), a.dir, a.ref, a.options))
    }),
  packageLayer: (layer, control) =>
    steps(async () => {
      const c = await check(checkTaskControl(control))
      return must(packageStoredLayer(ctx, await must(resolveChain(ctx, layer)), c))
    }),
  exportTree: (source, target, options, control) =>
    steps(async () => must(exportTree(ctx, source, target, options ?? {}, await check(checkTaskControl(control))))),
  listLayers: (options) => (options?.sizes === true ? sizedLayers(ctx) : listLayers(ctx)),
  listImages: () => listImages(ctx),
  listContainers: (options) => (options?.sizes === true ? sizedContainers(ctx) : listContainers(ctx)),
  labelContainer: (id, change) =>
    steps(async () =>
      must(labelContainer(ctx, await check(parseContainerId(id)), await check(checkLabelChange(change)))),
    ),
  labelImage: (name, change) =>
    typeof name === 'string'
      ? steps(async () => must(labelImage(ctx, name, await check(checkLabelChange(change)))))
      : TE.left(err('InvalidName', { name: String(name), reason: 'an image name is a string' })),
  removeContainer: (id, options) =>
    steps(async () =>
      must(removeContainer(ctx, await check(parseContainerId(id)), { force: options?.force === true })),
    ),
  mount: (id, holder) => steps(async () => must(mountContainer(ctx, await check(parseContainerId(id)), holder))),
  unmount: (id, holder) => steps(async () => must(unmountContainer(ctx, await check(parseContainerId(id)), holder))),
  usage: () => storeUsage(ctx),
  removeLayer: (layer) => steps(async () => must(removeLayer(ctx, await must(resolveChain(ctx, layer))))),
  recover: () => recover(ctx),
  removeImage: (name) =>
    typeof name === 'string'
      ? removeImage(ctx, name)
      : TE.left(err('InvalidName', { name: String(name), reason: 'an image name is a string' })),
  prune: (opts) => prune(ctx, { dryRun: opts?.dryRun === true }),
})

/**
 * Opens the store under `base` on `driver`, creating its datasets (storage/, runtime/, tmp/) when
 * missing (one listing when they exist; with `create: false` a base holding no store is
 * DatasetNotFound instead), and recovers what crashed work left. Fails with the driver's errors
 * (e.g. DatasetNotFound or ParentNotFound for a missing pool) or Io.
 *
 * @example
 * ```ts
 * const store = await openLayerStore(createSimDriver({ pools: ['tank'] }), datasetName('tank/stratum'))()
 * if (E.isLeft(store)) throw new Error(describe(store.left))
 * const image = await store.right.extractImage('./image', '1.0')()
 * ```
 */
export const openLayerStore = (
  driver: Driver,
  base: DatasetName,
  options: StoreOptions = {},
): TE.TaskEither<StorageError, LayerStore> => {
  const layout = storeLayout(base)
  const ctx: StoreContext = { driver, layout, options, owner: options.owner ?? defaultOwnerPolicy() }
  return steps(async () => {
    // one listing tells what exists; it also serves recovery when nothing had to be created
    const listing = await must(
      pipe(
        driver.list(base),
        catchTag('DatasetNotFound', () => TE.right([])),
      ),
    )
    if (options.create === false && !listing.some((i) => i.name === layout.storage))
      return must(TE.left(err('DatasetNotFound', { name: base })))
    const created = await must(ensureSkeleton(driver, layout, listing))
    return storeOf(ctx, await must(created ? recover(ctx) : recover(ctx, listing)))
  })
}
