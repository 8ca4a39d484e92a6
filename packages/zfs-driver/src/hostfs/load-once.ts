/** A native binding loaded once, on first use: its value, or why it did not load. */
export interface Loaded<A> {
  /** undefined where it did not load */
  readonly value: A | undefined
  /** why it did not load ('' when it did) */
  readonly reason: string
}

/** `load` run on the first call only; what it throws becomes the reason. */
export const loadOnce = <A>(load: () => A): (() => Loaded<A>) => {
  let loaded: Loaded<A> | undefined
  return () => {
    if (loaded !== undefined) return loaded
    try {
      loaded = { value: load(), reason: '' }
    } catch (e) {
      loaded = { value: undefined, reason: e instanceof Error ? e.message : String(e) }
    }
    return loaded
  }
}
