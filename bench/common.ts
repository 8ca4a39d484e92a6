/** What the benches share: the median of repeated runs and the real data of bench/data/build-image.sh. */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The median wall time of `runs` calls of `f`, in seconds. */
export const medianSeconds = async (runs: number, f: () => Promise<unknown> | unknown): Promise<number> => {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
  }
  return median(ms) / 1000
}

/** Builds (or reuses) the bench image's layer tars, prints build-image.sh's `data=` line, gives their directory. */
export const benchTars = (small: boolean): string => {
  const data = execFileSync('bash', [join(import.meta.dirname, 'data/build-image.sh'), ...(small ? ['--small'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const tars = /^tars=(.*)$/m.exec(data)?.[1]
  if (tars === undefined) throw new Error('build-image.sh printed no tars= line')
  console.log(/^data=.*$/m.exec(data)?.[0])
  return tars
}
