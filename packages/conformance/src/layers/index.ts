/**
 * Feature groups for the layer algorithms (extract, start, commit, package, hostile input,
 * crash recovery). Other modules append their groups here; `runConformance` registers them
 * after the driver-algebra groups.
 */
import type { FeatureGroup } from '../context.js'
import { storeCommitGroup } from './store-commit.js'
import { storeCrashGroup } from './store-crash.js'
import { storeExtractGroup } from './store-extract.js'
import { storeFailureGroup } from './store-failure.js'

export const layerGroups: FeatureGroup[] = []

layerGroups.push(storeExtractGroup, storeFailureGroup, storeCommitGroup, storeCrashGroup)
