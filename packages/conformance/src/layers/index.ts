/**
 * Feature groups for the layer algorithms (extract, start, commit, package, hostile input).
 * Layer modules append their groups here; the package's index.ts registers them.
 */
import type { FeatureGroup } from '../context.js'
import { storeCommitGroup } from './store-commit.js'
import { storeExtractGroup } from './store-extract.js'
import { storeFailureGroup } from './store-failure.js'
import { applyOverlayChecks as applyOverlayGroup } from './apply-overlay.js'
import { hostileLinkChecks as hostileLinkGroup } from './hostile-links.js'
import { hostileMetaChecks as hostileMetaGroup } from './hostile-meta.js'
import { hostileMixedChecks as hostileMixedGroup } from './hostile-mixed.js'
import { hostileNameChecks as hostileNameGroup } from './hostile-names.js'
import { hostileWhiteoutChecks as hostileWhiteoutGroup } from './hostile-whiteouts.js'
import { packageLayerChecks as packageLayerGroup } from './package-layer.js'
import { packageRoundTripChecks as packageRoundTripGroup } from './package-roundtrip.js'
import { tarFuzzChecks as tarFuzzGroup } from './tar-fuzz.js'

export const layerGroups: FeatureGroup[] = []

layerGroups.push(storeExtractGroup, storeFailureGroup, storeCommitGroup)

// applyLayer / packageLayer: reference overlay, round trip, named packaging checks, docs/LAYER-SECURITY.md vectors
layerGroups.push(
  applyOverlayGroup,
  packageLayerGroup,
  packageRoundTripGroup,
  hostileNameGroup,
  hostileLinkGroup,
  hostileWhiteoutGroup,
  hostileMetaGroup,
  hostileMixedGroup,
  tarFuzzGroup,
)
