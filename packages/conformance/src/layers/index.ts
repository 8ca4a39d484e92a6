/**
 * Feature groups for the layer algorithms (extract, start, commit, package, hostile input,
 * crash recovery). Other modules append their groups here; `runConformance` registers them
 * after the driver-algebra groups.
 */
import type { FeatureGroup } from '../context.js'

export const layerGroups: FeatureGroup[] = []
