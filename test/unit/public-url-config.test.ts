/** CORRIDOR_PUBLIC_URL and the other discovery settings are validated with the rest of the configuration. */
import { ConfigError, loadConfig } from '../../src/config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/tmp');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('CORRIDOR_PUBLIC_URL', () => {
  it('takes an http(s) origin, with or without a trailing slash', () => {
    expect(loadConfig({ CORRIDOR_PUBLIC_URL: 'https://Corridor.Example.org/' }, '/tmp').publicUrl).toBe('https://corridor.example.org');
    expect(loadConfig({ CORRIDOR_PUBLIC_URL: 'http://10.0.0.5:8080' }, '/tmp').publicUrl).toBe('http://10.0.0.5:8080');
    expect(loadConfig({}, '/tmp').publicUrl).toBeUndefined();
  });

  it.each(['corridor.example.org', 'ftp://corridor.example.org', 'https://example.org/corridor', 'https://example.org/?a=1', 'https://user:pw@example.org'])(
    'refuses %s, naming the variable',
    (value) => {
      const found = problems({ CORRIDOR_PUBLIC_URL: value });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^CORRIDOR_PUBLIC_URL: /);
    },
  );

  it('checks the token secret and the admin e-mail too', () => {
    expect(problems({ CORRIDOR_TOKEN_SECRET: 'short' })[0]).toMatch(/^CORRIDOR_TOKEN_SECRET: must be at least 32 characters/);
    expect(problems({ CORRIDOR_ADMIN_EMAIL: 'not an address' })[0]).toMatch(/^CORRIDOR_ADMIN_EMAIL: /);
  });
});

describe('CORRIDOR_ES_PRELOAD', () => {
  it('preloads every index file by default, the extensions named, or none', () => {
    expect(loadConfig({}, '/tmp').elasticsearch.preload).toEqual(['*']);
    expect(loadConfig({ CORRIDOR_ES_PRELOAD: 'nvd,dvd,tim' }, '/tmp').elasticsearch.preload).toEqual(['nvd', 'dvd', 'tim']);
    expect(loadConfig({ CORRIDOR_ES_PRELOAD: 'none' }, '/tmp').elasticsearch.preload).toEqual([]);
  });

  it.each(['nvd, dvd', '*,nvd', '../x', 'NVD'])('refuses %j, naming the variable', (value) => {
    const found = problems({ CORRIDOR_ES_PRELOAD: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^CORRIDOR_ES_PRELOAD: /);
  });
});
