/**
 * Feature groups for the layer algorithms (extract, start, commit, view, package) and for hostile
 * input (docs/LAYER-SECURITY.md vectors, fuzzed tars); the package's index.ts registers them.
 */
import type { FeatureGroup } from '../context.js'
import { storeCommitGroup } from './store-commit.js'
import { storeExtractGroup } from './store-extract.js'
import { storeFailureGroup } from './store-failure.js'
import { storeForeignGroup } from './store-foreign.js'
import { storeImageGroup } from './store-images.js'
import { storeModelGroup } from './store-model.js'
import { storePruneGroup } from './store-prune.js'
import { storeViewGroup } from './store-view.js'
import { storeNoautoGroup } from './store-noauto.js'
import { applyOverlayChecks as applyOverlayGroup } from './apply-overlay.js'
import { hostileLinkChecks as hostileLinkGroup } from './hostile-links.js'
import { hostileMetaChecks as hostileMetaGroup } from './hostile-meta.js'
import { hostileMixedChecks as hostileMixedGroup } from './hostile-mixed.js'
import { hostileNameChecks as hostileNameGroup } from './hostile-names.js'
import { hostileWhiteoutChecks as hostileWhiteoutGroup } from './hostile-whiteouts.js'
import { packageLayerChecks as packageLayerGroup } from './package-layer.js'
import { packageRoundTripChecks as packageRoundTripGroup } from './package-roundtrip.js'
import { tarFuzzChecks as tarFuzzGroup } from './tar-fuzz.js'

/**
 * The store's operations (extract, failures, commit; images, prune, others' snapshots), then
 * applyLayer / packageLayer: reference overlay, named packaging checks, round trip.
 */
export const layerGroups: readonly FeatureGroup[] = [
  storeExtractGroup,
  storeFailureGroup,
  storeCommitGroup,
  storeImageGroup,
  storePruneGroup,
  storeForeignGroup,
  storeModelGroup,
  storeViewGroup,
  storeNoautoGroup,
  applyOverlayGroup,
  packageLayerGroup,
  packageRoundTripGroup,
]

/** The docs/LAYER-SECURITY.md vectors, the mixed hostile property and the tar fuzz. */
export const hostileGroups: readonly FeatureGroup[] = [
  hostileNameGroup,
  hostileLinkGroup,
  hostileWhiteoutGroup,
  hostileMetaGroup,
  hostileMixedGroup,
  tarFuzzGroup,
]
