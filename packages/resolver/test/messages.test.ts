import { describe, expect, it } from 'vitest'
import type { MemoryUniverse } from '../src/index.js'
import { ResolutionImpossibleError } from '../src/index.js'
import type { Scenario } from './support/helpers.js'
import { resolveIn } from './support/helpers.js'

async function message(universe: MemoryUniverse, scenario: Scenario): Promise<ResolutionImpossibleError> {
  const error = await resolveIn(universe, scenario).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ResolutionImpossibleError)
  return error as ResolutionImpossibleError
}

describe('explanations of failures', () => {
  it('name both sides of a diamond conflict, pip style', async () => {
    const error = await message(
      { a: { '1.0.0': { requires: ['c==1.0.0'] } }, b: { '1.0.0': { requires: ['c==2.0.0'] } }, c: { '1.0.0': {}, '2.0.0': {} } },
      { requirements: ['a', 'b'] },
    )
    expect(error.code).toBe('ERR_RESOLUTION_IMPOSSIBLE')
    expect(error.message).toBe(
      [
        'Cannot install a and b because these package versions have conflicting dependencies.',
        '',
        'Because a 1.0.0 depends on c==1.0.0 and b 1.0.0 depends on c==2.0.0, a 1.0.0 is incompatible with b 1.0.0.',
        'And because you require a and b, your requirements cannot be satisfied.',
        '',
        'The conflict is caused by:',
        '    The user requested a',
        '    The user requested b',
        '    a 1.0.0 depends on c==1.0.0',
        '    b 1.0.0 depends on c==2.0.0',
      ].join('\n'),
    )
    expect(error.packages).toEqual(['a', 'b', 'c'])
    expect(error.hint).toMatch(/Loosen/)
  })

  it('say when nothing of a name exists (pip: "from versions: none")', async () => {
    const error = await message({}, { requirements: ['nope>=1'] })
    expect(error.summary).toBe('Could not find a version that satisfies the requirement nope>=1 (from versions: none).')
    expect(error.explanation).toEqual(['You require nope>=1 (no versions of nope exist), so your requirements cannot be satisfied.'])
  })

  it('list the versions there are when none matches', async () => {
    const error = await message({ a: { '1.0': {}, '2.0': {} } }, { requirements: ['a>=3'] })
    expect(error.summary).toBe('Could not find a version that satisfies the requirement a>=3 (from versions: 1.0, 2.0).')
    expect(error.explanation).toEqual(['You require a>=3 (a has only 1.0, 2.0), so your requirements cannot be satisfied.'])
  })

  it('give the Requires-Python of versions that exist but do not fit the target', async () => {
    const error = await message({ a: { '1.0': { requiresPython: '>=3.13' }, '0.9': { requiresPython: '>=3.14' } } }, { requirements: ['a'] })
    expect(error.explanation).toEqual([
      'Because no version of a can be used (0.9 requires Python >=3.14 and 1.0 requires Python >=3.13, but the target Python is 3.12.1) and you require a, your requirements cannot be satisfied.',
    ])
  })

  it('blame a dependency that needs another Python in its metadata', async () => {
    const error = await message({ a: { '1.0': { requires: ['b'] } }, b: { '1.0': { requiresPython: '>=4', requiresPythonInMetadataOnly: true } } }, { requirements: ['a'] })
    expect(error.explanation).toEqual([
      'Because a 1.0 depends on b and b 1.0 requires Python >=4 (the target is Python 3.12.1), a 1.0 cannot be used.',
      'And because you require a, your requirements cannot be satisfied.',
    ])
  })

  it('name the constraint that excludes what a dependency needs', async () => {
    const error = await message({ a: { '1.0.0': { requires: ['b>=2'] } }, b: { '1.0.0': {}, '2.0.0': {} } }, { requirements: ['a'], constraints: ['b<2'] })
    expect(error.explanation).toEqual([
      'Because a 1.0.0 depends on b>=2 and your constraints require b<2, a 1.0.0 cannot be used.',
      'And because you require a, your requirements cannot be satisfied.',
    ])
  })

  it('explain a proof that goes through every version of a package', async () => {
    const error = await message(
      {
        foo: { '1.0.0': { requires: ['a>=1,<2'] }, '1.1.0': { requires: ['x>=1,<2'] } },
        a: { '1.0.0': { requires: ['b>=2,<3'] } },
        b: { '1.0.0': {}, '2.0.0': { requires: ['a>=2,<3'] } },
        x: { '1.0.0': { requires: ['y>=2,<3'] } },
        y: { '1.0.0': {}, '2.0.0': { requires: ['x>=2,<3'] } },
      },
      { requirements: ['foo>=1,<2'] },
    )
    expect(error.explanation).toEqual([
      // Specifiers print as packaging prints them (sorted), as pip's messages do.
      'Because foo 1.0.0 depends on a<2,>=1 and a 1.0.0 depends on b<3,>=2, foo 1.0.0 requires b==2.0.0.',
      'And because b 2.0.0 depends on a<3,>=2 (a has only 1.0.0), foo 1.0.0 cannot be used.',
      'And because foo 1.1.0 depends on x<2,>=1 and x 1.0.0 depends on y<3,>=2, foo requires y==2.0.0.',
      'And because y 2.0.0 depends on x<3,>=2 (x has only 1.0.0) and you require foo<2,>=1, your requirements cannot be satisfied.',
    ])
  })

  it('number the lines that a branching proof refers back to', async () => {
    // PubGrub documentation's "branching error reporting" example.
    const error = await message(
      {
        foo: { '1.0.0': { requires: ['a>=1,<2', 'b>=1,<2'] }, '1.1.0': { requires: ['x>=1,<2', 'y>=1,<2'] } },
        a: { '1.0.0': { requires: ['b>=2,<3'] } },
        b: { '1.0.0': {}, '2.0.0': {} },
        x: { '1.0.0': { requires: ['y>=2,<3'] } },
        y: { '1.0.0': {}, '2.0.0': {} },
      },
      { requirements: ['foo>=1,<2'] },
    )
    expect(error.explanation).toMatchInlineSnapshot(`
      [
        "Because a 1.0.0 depends on b<3,>=2 and foo 1.0.0 depends on a<2,>=1, foo 1.0.0 requires b==2.0.0.",
        "And because foo 1.0.0 depends on b<2,>=1, foo 1.0.0 cannot be used. (1)",
        "",
        "Because x 1.0.0 depends on y<3,>=2 and foo 1.1.0 depends on x<2,>=1, foo 1.1.0 requires y==2.0.0.",
        "And because foo 1.1.0 depends on y<2,>=1, foo 1.1.0 cannot be used.",
        "And because foo 1.0.0 cannot be used (1), foo cannot be used.",
        "And because you require foo<2,>=1, your requirements cannot be satisfied.",
      ]
    `)
  })

  it('keep the message to a screen when the proof is long (the whole proof stays in `explanation`)', async () => {
    const universe: Record<string, Record<string, { requires?: string[] }>> = { x: {}, y: {}, z: { '1.0': {} } }
    for (let i = 1; i <= 40; i++) {
      universe.x![`${i}.0`] = { requires: [`y==${i}.0`] }
      universe.y![`${i}.0`] = { requires: ['z<1'] }
    }
    const error = await message(universe, { requirements: ['x'] })
    expect(error.explanation.length).toBe(41)
    expect(error.message).toContain('... (5 more steps of the derivation) ...')
    expect(error.message).toContain(error.explanation[40]!)
    expect(error.stats?.decisions).toBeGreaterThan(0)
  })
})
