/**
 * Views: a read-only root of a layer for inspection. `runtime/<name>` is cloned from the layer's
 * @extracted with readonly=on and marked `stratum:view=on`, so it is listed, mounted and removed
 * like a container (one code path, no second namespace), every write to it fails with EROFS, and
 * prune keeps its layer as it keeps any container's parent.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from '../errors.js'
import type { ContainerId } from '../names.js'
import { digestHex } from '../oci/digest.js'
import { start } from './container.js'
import type { StoreContext } from './context.js'
import { EMPTY, type LayerRef, PROP } from './layout.js'

/** The default name of a view of `layer`: `view-` and the first 12 hex digits of its chainID (`view-empty`). */
export const defaultViewName = (layer: LayerRef): ContainerId =>
  `view-${layer === 'empty' ? EMPTY : digestHex(layer).slice(0, 12)}` as ContainerId

/** Clones `layer` read-only into runtime/<name> (one zfs command); DatasetExists for a taken name. */
export const viewLayer = (
  ctx: StoreContext,
  name: ContainerId,
  layer: LayerRef,
): TE.TaskEither<StorageError, ContainerId> =>
  TE.map(() => name)(start(ctx, name, layer, { readonly: true }, { [PROP.view]: 'on' }))
