import { datasetName } from '../../src/names.js'

export { failure as fail, unwrap as ok } from '../../src/testing.js'

export const BASE = datasetName('testpool/s')
