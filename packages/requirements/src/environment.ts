import { PipetteError } from '@pipette/errors'
import type { MarkerEnvironment } from './marker.js'

/** The 11 variables of packaging's `default_environment()`. */
export const MARKER_VARIABLES = [
  'implementation_name',
  'implementation_version',
  'os_name',
  'platform_machine',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_full_version',
  'platform_python_implementation',
  'python_version',
  'sys_platform',
] as const

export type MarkerVariable = (typeof MARKER_VARIABLES)[number]

/**
 * What `markerEnvironment` needs from an interpreter: an object with a
 * `markerEnvironment` field holding the 11 variables (as @pipette/venv's
 * InterpreterInfo has). Structural, so this package does not import venv.
 */
export interface InterpreterMarkerSource {
  readonly markerEnvironment: Readonly<Record<MarkerVariable, string>>
}

/**
 * The marker environment of an interpreter: its 11 PEP 508 variables plus
 * `extra` (default `""`; pass `extra` to evaluate for one extra, or use the
 * `extras` option of `Marker.evaluate` for several). Frozen.
 *
 * @example
 * const env = markerEnvironment(await queryInterpreter(python))
 * parseMarker('python_version >= "3.8"').evaluate(env)
 */
export function markerEnvironment(
  interpreter: InterpreterMarkerSource,
  options: { readonly extra?: string | undefined } = {},
): MarkerEnvironment {
  const source = interpreter.markerEnvironment as Readonly<Record<string, unknown>> | undefined
  const environment: Record<string, string> = {}
  for (const name of MARKER_VARIABLES) {
    const value = source?.[name]
    if (typeof value !== 'string') {
      throw new PipetteError('ERR_MARKER_ENVIRONMENT', `The interpreter's marker environment has no string '${name}'`, {
        hint: 'Pass the InterpreterInfo returned by queryInterpreter, whose markerEnvironment has all 11 PEP 508 variables.',
      })
    }
    environment[name] = value
  }
  environment['extra'] = options.extra ?? ''
  return Object.freeze(environment) as unknown as MarkerEnvironment
}
