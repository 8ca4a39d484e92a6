/**
 * Where a LayerStore keeps things under its base dataset, and the user properties it records:
 *   <base>/storage/empty@extracted      the empty base
 *   <base>/storage/<chainid hex>@extracted   one published layer
 *   <base>/runtime/<container-id>       a container's root (a clone of its top layer), or a read-only view of a layer
 *   <base>/tmp/<uuid>                   work in progress, destroyed by recover()
 *   <base>/images                       image references, one user property each (images.ts); no files
 */
import { randomUUID } from 'node:crypto'
import type * as E from 'fp-ts/lib/Either.js'
import type { StorageError } from '../errors.js'
import {
  type AnyName,
  type ContainerId,
  type DatasetName,
  datasetOf,
  parentOf,
  type PropertyName,
  parseDatasetName,
  type SnapshotName,
} from '../names.js'
import { type ChainId, digestHex } from '../oci/digest.js'

/** The short name of a layer's snapshot (`storage/<chain>@extracted`), what clones come from. */
export const EXTRACTED = 'extracted'
/** The dataset name of the empty layer under `storage/`. */
export const EMPTY = 'empty'

/** The user properties Stratum records on its datasets. */
export const PROP = {
  diffId: 'stratum:diffid' as PropertyName,
  parent: 'stratum:parent' as PropertyName,
  state: 'stratum:state' as PropertyName,
  created: 'stratum:created' as PropertyName,
  /** who is doing the work in progress on a tmp dataset or behind a container lock (see owner.ts) */
  owner: 'stratum:owner' as PropertyName,
  /** on a tmp lease: the JSON list of chainIDs an extract is using (lease.ts) */
  lease: 'stratum:lease' as PropertyName,
  /** on a layer prune is about to destroy: `<owner> <created>` of the pruner (prune-mark.ts) */
  pruning: 'stratum:pruning' as PropertyName,
  /** on a container: its labels, a JSON object (labels.ts) */
  labels: 'stratum:labels' as PropertyName,
  /** `on` on a container that is a read-only view of its layer (view.ts) */
  view: 'stratum:view' as PropertyName,
} as const

/**
 * `stratum:state` values, the progress records recover() reads:
 * - tmp/<uuid>: `extracting`, inherited from tmp/ (an extract sets no state: its publishing
 *   rename moves it under storage/, whose `ready` it then inherits); `committing` for a kept
 *   commit's promoted clone.
 * - runtime/<id>: `ready`; `committing` while a not-kept commit turns it into a layer.
 * - runtime/<id>@extracted, the container lock: `committing` or `removing`.
 * - storage/<chain>: `ready` (inherited from storage/ or local); `committing` between a
 *   commit's publishing rename and its last step.
 */
export type LayerState = 'extracting' | 'committing' | 'removing' | 'ready'

/** A stored layer: its chainID, or the empty layer below every base layer. */
export type LayerRef = ChainId | 'empty'

/** Where a store keeps what, under its base dataset. */
export interface StoreLayout {
  readonly base: DatasetName
  readonly storage: DatasetName
  readonly runtime: DatasetName
  readonly tmp: DatasetName
  /** holds the image references as user properties; made by the first extract that records one */
  readonly images: DatasetName
  /** The layer's dataset, `storage/<chain hex>`. */
  layer(chain: LayerRef): DatasetName
  /** The layer's snapshot, `storage/<chain hex>@extracted`. */
  layerSnap(chain: LayerRef): SnapshotName
  /** `runtime/<id>`: InvalidName when that name is too long under this base */
  container(id: ContainerId): E.Either<StorageError, DatasetName>
  /** a fresh `tmp/<uuid>` */
  freshTmp(): DatasetName
  /** the layer a `storage/<x>` dataset or `storage/<x>@extracted` snapshot is, if it is one */
  layerOf(name: AnyName): LayerRef | undefined
}

/** The layout of a store under `base` (names only: nothing is created). */
export const storeLayout = (base: DatasetName): StoreLayout => {
  const storage = `${base}/storage` as DatasetName
  const layer = (chain: LayerRef): DatasetName =>
    `${storage}/${chain === 'empty' ? EMPTY : digestHex(chain)}` as DatasetName
  return {
    base,
    storage,
    runtime: `${base}/runtime` as DatasetName,
    tmp: `${base}/tmp` as DatasetName,
    images: `${base}/images` as DatasetName,
    layer,
    layerSnap: (chain) => `${layer(chain)}@${EXTRACTED}` as SnapshotName,
    container: (id) => parseDatasetName(`${base}/runtime/${id}`),
    freshTmp: () => `${base}/tmp/${randomUUID()}` as DatasetName,
    layerOf: (name) => {
      const ds = name.includes('@') ? datasetOf(name as SnapshotName) : (name as DatasetName)
      if (parentOf(ds) !== storage) return undefined
      const leaf = ds.slice(storage.length + 1)
      if (leaf === EMPTY) return 'empty'
      return /^[0-9a-f]{64}$/.test(leaf) ? (`sha256:${leaf}` as ChainId) : undefined
    },
  }
}

/** The last component of a dataset name. */
export const leafOf = (d: DatasetName): string => d.slice(d.lastIndexOf('/') + 1)

/** The current time as recorded in `stratum:created` (ISO 8601). */
export const nowStamp = (): string => new Date().toISOString()
