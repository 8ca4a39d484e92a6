/** What every store algorithm needs: the driver, the layout, and the limits for untrusted input. */
import type { Capabilities, Driver } from '../driver.js'
import type { DecompressLimits } from '../oci/gzip.js'
import type { ApplyLimits } from './layer-ops.js'
import type { StoreLayout } from './layout.js'
import type { OwnerPolicy } from './owner.js'

/** Options of `openLayerStore`: limits and the owner policy. */
export interface StoreOptions {
  /** limits for applying untrusted tars (entries, sizes, ...) */
  readonly applyLimits?: Partial<ApplyLimits>
  /** limits for layer decompression (gzip, zstd) */
  readonly decompressLimits?: Partial<DecompressLimits>
  /** who this store's work belongs to and whose leftovers recover() may collect (default: this process, see owner.ts) */
  readonly owner?: OwnerPolicy
  /** false: a base that holds no store (no storage/ dataset) fails with DatasetNotFound naming it, nothing created (read-only commands); default true */
  readonly create?: boolean
}

/** What every store operation is given: the driver, the layout, the options and the owner policy. */
export interface StoreContext {
  readonly driver: Driver
  readonly layout: StoreLayout
  readonly options: StoreOptions
  readonly owner: OwnerPolicy
}

/** The options for applying a tar onto a dataset's tree. */
export const applyOptions = (
  ctx: StoreContext,
): { readonly capabilities: Capabilities; readonly limits?: Partial<ApplyLimits> } => ({
  capabilities: ctx.driver.capabilities,
  ...(ctx.options.applyLimits ? { limits: ctx.options.applyLimits } : {}),
})
