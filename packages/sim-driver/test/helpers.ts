import { datasetName, propertyName, snapshotName } from '@stratum/core'

export { failure as bad, unwrap as ok } from '@stratum/core/testing'

export const ds = datasetName
export const sn = snapshotName
export const prop = propertyName
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
export const text = async (it: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts).toString()
}
