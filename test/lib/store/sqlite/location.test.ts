import { join, resolve } from 'node:path';

import { resolveCachePath } from '../../../../lib/store/sqlite/location';

describe('resolveCachePath', () => {
	const home = '/home/alice';

	it('uses CONNECTORS_CACHE_PATH when it is set', () => {
		expect(resolveCachePath({ CONNECTORS_CACHE_PATH: '/data/cache.sqlite', N8N_USER_FOLDER: '/srv/n8n' }, home)).toBe(
			'/data/cache.sqlite',
		);
	});

	it('expands ~ and resolves a relative CONNECTORS_CACHE_PATH', () => {
		expect(resolveCachePath({ CONNECTORS_CACHE_PATH: '~/c.sqlite' }, home)).toBe('/home/alice/c.sqlite');
		expect(resolveCachePath({ CONNECTORS_CACHE_PATH: 'c.sqlite' }, home)).toBe(resolve('c.sqlite'));
	});

	it('puts the cache beside n8n data in <N8N_USER_FOLDER>/.n8n', () => {
		expect(resolveCachePath({ N8N_USER_FOLDER: '/srv/n8n' }, home)).toBe('/srv/n8n/.n8n/external-connectors.sqlite');
	});

	it('falls back to ~/.n8n when n8n uses its default user folder', () => {
		expect(resolveCachePath({}, home)).toBe(join(home, '.n8n', 'external-connectors.sqlite'));
	});

	it('treats a blank CONNECTORS_CACHE_PATH as unset', () => {
		expect(resolveCachePath({ CONNECTORS_CACHE_PATH: '  ' }, home)).toBe(join(home, '.n8n', 'external-connectors.sqlite'));
	});
});
