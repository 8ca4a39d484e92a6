/**
 * The counts the process checks print once, after both ran:
 *   stratum-robustness (processes): N SIGKILLs recovered, N concurrent processes run, N lost
 * and a timing line to size STRATUM_KILL_DELAY_SCALE by: how long a churn child's first cycle
 * took, and how long after its 'ready' each kill came.
 */
export interface Tally {
  kills: number
  processes: number
  /** layers, containers or extractions a check found missing or changed (before it failed) */
  lost: number
  readonly firstCycleMs: number[]
  readonly killDelayMs: number[]
}

export const newTally = (): Tally => ({ kills: 0, processes: 0, lost: 0, firstCycleMs: [], killDelayMs: [] })

export const summaryLine = (t: Tally): string =>
  `stratum-robustness (processes): ${t.kills} SIGKILLs recovered, ${t.processes} concurrent processes run, ${t.lost} lost`

const range = (xs: readonly number[]): string =>
  xs.length === 0 ? 'none' : `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))} ms`

export const timingLine = (t: Tally): string =>
  `stratum-robustness (processes) timing: first churn cycle ${range(t.firstCycleMs)}, kills ${range(t.killDelayMs)} after 'ready'`

/** Runs a check; if it fails, counts what it guarded as lost. */
export const guarded = async (t: Tally, body: () => Promise<void>): Promise<void> => {
  try {
    await body()
  } catch (e) {
    t.lost++
    throw e
  }
}

/** The first-cycle duration a child printed with 'ready'. */
export const readyMs = (out: string): number | undefined => {
  const m = /^ready (\d+)/m.exec(out)
  return m === null ? undefined : Number(m[1])
}
