/**
 * pip's general options (declared in general.ts) as oclif flags, for the
 * commands' help and types. Their values come from the configuration layer
 * (see docs/DEVELOPING.md, "Options and configuration").
 */
import { Flags } from '@oclif/core'
import { GENERAL_OPTIONS as G } from './general.js'

const number = Flags.custom<number>()

export const generalOptions = {
  debug: Flags.boolean(G.debug),
  isolated: Flags.boolean(G.isolated),
  'require-virtualenv': Flags.boolean(G['require-virtualenv']),
  python: Flags.string(G.python),
  verbose: Flags.boolean(G.verbose),
  quiet: Flags.boolean(G.quiet),
  log: Flags.string(G.log),
  'no-input': Flags.boolean(G['no-input']),
  'keyring-provider': Flags.string(G['keyring-provider']),
  proxy: Flags.string(G.proxy),
  retries: number(G.retries),
  timeout: number(G.timeout),
  'exists-action': Flags.string(G['exists-action']),
  'trusted-host': Flags.string(G['trusted-host']),
  cert: Flags.string(G.cert),
  'client-cert': Flags.string(G['client-cert']),
  'cache-dir': Flags.string(G['cache-dir']),
  'no-cache-dir': Flags.boolean(G['no-cache-dir']),
  'disable-pip-version-check': Flags.boolean(G['disable-pip-version-check']),
  'no-color': Flags.boolean(G['no-color']),
  'no-python-version-warning': Flags.boolean(G['no-python-version-warning']),
  'use-feature': Flags.string(G['use-feature']),
  'use-deprecated': Flags.string(G['use-deprecated']),
  'resume-retries': number(G['resume-retries']),
}
