import { describe, expect, it } from 'vitest'
import { basicAuthorization, createCredentialStore, credentialEnvNames, credentialsInUrl } from '../src/credentials.js'
import { parseNetrc } from '../src/netrc.js'

describe('.netrc', () => {
  it('reads machines, default, quoted tokens, comments and skips macros', () => {
    const netrc = parseNetrc(
      [
        '# a comment',
        'machine files.example.com login alice password "s3cret word"',
        'macdef init',
        'cd /pub',
        'get x',
        '',
        'machine other.example.com',
        '  login bob',
        '  account acct',
        '  password pw # trailing comment',
        'default login anon password guest',
      ].join('\n'),
    )
    expect(netrc.machines.get('files.example.com')).toEqual({ login: 'alice', account: '', password: 's3cret word' })
    expect(netrc.machines.get('other.example.com')).toEqual({ login: 'bob', account: 'acct', password: 'pw' })
    expect(netrc.default).toEqual({ login: 'anon', account: '', password: 'guest' })
  })

  it('yields nothing for a malformed file, as requests ignores it', () => {
    expect(parseNetrc('machine a login x bogus y').machines.size).toBe(0)
    expect(parseNetrc('nonsense').default).toBeUndefined()
  })
})

describe('credential store', () => {
  const store = createCredentialStore({
    urls: ['https://u1:p%40ss@index.example.com/simple', 'https://u2:p2@index.example.com/private/simple', 'https://public.example.com/simple'],
    env: { PIPETTE_INDEX_ENV_EXAMPLE_COM_8443_USERNAME: 'envuser', PIPETTE_INDEX_ENV_EXAMPLE_COM_PASSWORD: 'ignored', PIPETTE_INDEX_HOSTONLY_EXAMPLE_COM_PASSWORD: 'tok' },
    netrc: parseNetrc('machine netrc.example.com login nu password np'),
  })

  it('prefers credentials in the URL itself, percent-decoded', () => {
    expect(store.forUrl('https://me:x%3Ay@index.example.com/simple/a/')).toEqual({ username: 'me', password: 'x:y' })
  })

  it('gives an index URL credentials to every URL of its origin, longest prefix first', () => {
    expect(store.forUrl('https://index.example.com/simple/demo/')).toEqual({ username: 'u1', password: 'p@ss' })
    expect(store.forUrl('https://index.example.com/private/simple/demo/')).toEqual({ username: 'u2', password: 'p2' })
    expect(store.forUrl('https://index.example.com/packages/ab/demo-1.0.whl')).toEqual({ username: 'u1', password: 'p@ss' })
  })

  it('never gives them to another origin (host, port or scheme)', () => {
    expect(store.forUrl('https://files.example.com/packages/demo-1.0.whl')).toBeUndefined()
    expect(store.forUrl('https://index.example.com:8443/simple/')).toBeUndefined()
    expect(store.forUrl('http://index.example.com/simple/')).toBeUndefined()
  })

  it('reads per-host environment variables, host:port first', () => {
    expect(credentialEnvNames('https://env.example.com:8443/simple')).toEqual(['ENV_EXAMPLE_COM_8443', 'ENV_EXAMPLE_COM'])
    expect(store.forUrl('https://env.example.com:8443/simple/')).toEqual({ username: 'envuser', password: '' })
    expect(store.forUrl('https://hostonly.example.com/simple/')).toEqual({ username: '', password: 'tok' })
  })

  it('falls back to .netrc by host name', () => {
    expect(store.forUrl('https://netrc.example.com:9999/x')).toEqual({ username: 'nu', password: 'np' })
  })

  it('builds basic auth headers', () => {
    expect(basicAuthorization({ username: 'aladdin', password: 'opensesame' })).toBe('Basic YWxhZGRpbjpvcGVuc2VzYW1l')
    expect(credentialsInUrl('https://example.com/')).toBeUndefined()
    expect(credentialsInUrl('https://token@example.com/')).toEqual({ username: 'token', password: '' })
  })
})
