import { expect, it } from 'vitest'
import { pins, resolveIn } from './support/helpers.js'

it('smoke', async () => {
  const r = await resolveIn(
    { a: { '1.0.0': { requires: ['b>=1'] }, '2.0.0': { requires: ['b>=2', 'c'] } }, b: { '1.0.0': {}, '2.0.0': { requires: ['c<1'] } }, c: { '1.0.0': {} } },
    { requirements: ['a'] },
  )
  expect(pins(r)).toEqual({ a: '1.0.0', b: '1.0.0' })
})
