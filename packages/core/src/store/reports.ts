/** What the store's whole-store operations report: recovery, prune and usage (types only). */
import type { ContainerId } from '../names.js'
import type { ChainId } from '../oci/digest.js'

/** Work recover() left alone, and why (a live owner, or a concurrent change). */
export interface SkippedItem {
  readonly name: string
  readonly reason: string
}

/** What `recover` did to the work a crash or a kill left. */
export interface RecoveryReport {
  /** tmp datasets destroyed */
  readonly destroyed: readonly string[]
  /** leftover commit snapshots of containers destroyed (commits rolled back) */
  readonly rolledBack: readonly string[]
  /** layers published but not yet marked ready, now marked */
  readonly completed: readonly string[]
  /** left alone: work of a live owner, or an item another process changed meanwhile */
  readonly skipped: readonly SkippedItem[]
  /** mount holds of gone processes released, as `<container> <holder>` */
  readonly released: readonly string[]
}

/** What `prune` destroyed (or, with dryRun, would) and what it left alone. */
export interface PruneReport {
  /** layers destroyed (with dryRun: that would be), top first */
  readonly removed: readonly ChainId[]
  /** layers and datasets left alone, and why */
  readonly skipped: readonly SkippedItem[]
  readonly dryRun: boolean
}

/** Bytes of one dataset, settled. */
export interface SpaceUsage {
  /** what this dataset alone holds (zfs `used`) */
  readonly unique: number
  /** what its files refer to, shared or not (zfs `referenced`) */
  readonly referenced: number
  /** what it can still take (zfs `available`: the pool's free space cut by its quotas) */
  readonly available: number
}

export interface LayerUsage extends SpaceUsage {
  readonly chainId: ChainId
}

export interface ContainerUsage extends SpaceUsage {
  readonly id: ContainerId
  /** bytes; null: none */
  readonly refquota: number | null
  readonly quota: number | null
}

/** What `usage` reports: the space of every layer and container. */
export interface StoreUsage {
  readonly layers: readonly LayerUsage[]
  readonly containers: readonly ContainerUsage[]
}
