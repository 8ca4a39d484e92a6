/**
 * One command machine, two oracles. A command picks names from what the oracle says exists
 * (names relative to the base: '' the base, '/x/y' a dataset, '/x@s' or '@s' a snapshot) and
 * makes its call through `call`: the model oracle runs it on the driver and compares the
 * outcome with the reference model's; the driver oracle runs it on two drivers and compares
 * their results.
 */
import type { Driver, StorageError } from '@stratum/core'
import type fc from 'fast-check'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Model, Outcome } from '../model/state.js'
import type { FsOracle } from './fs-oracle.js'

/** A driver call on one side; `full` maps a relative name to that side's full name. */
export type SideCall = (driver: Driver, full: (rel: string) => string) => TaskEither<StorageError, unknown>
/** The same call on the reference model (full names); returns its outcome. */
export type ModelCall = (m: Model, full: (rel: string) => string) => Outcome

export interface Oracle {
  readonly datasets: () => readonly string[]
  /** every dataset but the base, which no command renames, destroys or promotes over */
  readonly movable: () => readonly string[]
  readonly snapshots: () => readonly string[]
  /** the origin (relative) of a dataset, null for none */
  readonly originOf: (rel: string) => string | null
  /** names a property call may target */
  readonly propertyTargets: () => readonly string[]
  /** the user properties commands set (a module of the suite's own) */
  readonly props: readonly string[]
  /** the reference model leaves out a few zfs orders of checks: calls that meet them are not generated */
  readonly modelLimits: boolean
  /** makes the call and checks it; `namespace`: it changes names (the oracle reads them again) */
  call(what: string, side: SideCall, model: ModelCall, namespace: boolean): Promise<void>
  /** file-tree calls */
  readonly fs: FsOracle
}

/** A command of the one machine: holds indexes into the oracle's lists, never names. */
export abstract class OracleCmd<W extends Oracle = Oracle> implements fc.AsyncCommand<W, W> {
  /** what the indexes resolved to in the last run, for the failure report */
  protected label = ''
  check(_o: Readonly<W>): boolean {
    return true
  }
  abstract run(o: W, _r: W): Promise<void>
  protected abstract shape(): string
  toString(): string {
    return this.label === '' ? this.shape() : `${this.shape()} /*${this.label}*/`
  }
}

export const pick = <A>(xs: readonly A[], i: number): A | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])
export const datasetOfSnap = (snap: string): string => snap.slice(0, snap.indexOf('@'))
export const anyNames = (o: Oracle): string[] => [...o.movable(), ...o.snapshots()]
/** '$' + a relative name, as labels show it */
export const shown = (rel: string): string => `$${rel}`
