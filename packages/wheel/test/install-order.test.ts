import { describe, expect, it } from 'vitest'
import { installationOrder } from '../src/index.js'

const node = (name: string, requiresPython = false, dependencies: string[] = []) => ({ name, requiresPython, dependencies })
const names = (nodes: ReturnType<typeof node>[]) => installationOrder(nodes).map((n) => n.name)

describe('installationOrder (pip get_installation_order)', () => {
  it('puts packages without Requires-Python first, then by name descending', () => {
    // Observed with pip 23.2.1 --no-deps: pip, setuptools, wheel declare Requires-Python.
    expect(
      names([node('pip', true), node('setuptools', true), node('wheel', true), node('demo-pkg'), node('platty'), node('built'), node('abi3pkg')]),
    ).toEqual(['platty', 'demo-pkg', 'built', 'abi3pkg', 'wheel', 'setuptools', 'pip'])
  })
  it('installs dependencies before their dependents', () => {
    expect(names([node('app', false, ['lib']), node('lib', false, ['base']), node('base'), node('zzz')])).toEqual(['zzz', 'base', 'lib', 'app'])
  })
  it('breaks cycles', () => {
    expect(names([node('a', false, ['b']), node('b', false, ['a'])]).sort()).toEqual(['a', 'b'])
  })
})
