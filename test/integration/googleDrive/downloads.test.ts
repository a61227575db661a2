import type { Readable } from 'node:stream';

import type { ConnectorItem } from '../../../lib/items';
import { googleDriveProvider, type DriveConnection } from '../../../lib/providers/googleDrive';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/googleApi';
import { testConnection } from './helpers';

function itemOf(id: string, name: string): ConnectorItem {
	return {
		provider: 'google_drive',
		external_id: id,
		source_key: 'google_drive:test:root',
		name,
		path: `/${name}`,
		parents: ['root'],
		mime: 'text/plain',
		size: null,
		modified_at: null,
		created_at: null,
		version: '1',
		hash: null,
		url: null,
		change: 'upsert',
	};
}

async function textOf(connection: DriveConnection, item: ConnectorItem): Promise<string> {
	const outcome = await googleDriveProvider.exportItem(connection, { item });
	if (outcome.kind !== 'content') throw new Error(`${item.name} skipped: ${outcome.skipReason}`);
	const chunks: Buffer[] = [];
	for await (const chunk of outcome.body as Readable) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** Downloads at once adapt to Drive's rate limits: fewer while it says "slow down", more again after. */
describe('Drive downloads against the strict fake Drive under a rate limit', () => {
	let google: FakeGoogle;
	let connection: DriveConnection;
	const items: ConnectorItem[] = [];

	beforeAll(async () => {
		google = await startFakeGoogle({ latencyMs: 5 });
		connection = testConnection(google);
		for (let index = 0; index < 64; index++) {
			const name = `f${index}.txt`;
			items.push(itemOf(google.addFile({ name, mimeType: 'text/plain', content: `file ${index}` }).id, name));
		}
	});

	afterAll(async () => {
		expect(google.internalErrors).toEqual([]);
		await google.close();
	});

	it('halves its downloads on rate-limit 403s, exports every file all the same, and grows again once Drive stops limiting', async () => {
		expect(connection.downloads.limit).toBe(32);
		google.setRateLimit({ requestsPerSecond: 100, burst: 10, status: 403 });

		const texts = await Promise.all(items.map(async (item) => await textOf(connection, item)));

		expect(texts).toEqual(items.map((_, index) => `file ${index}`));
		const limited = google.driveRequests().filter((request) => request.status === 403);
		expect(limited.length).toBeGreaterThan(0);
		const cut = connection.downloads.limit;
		expect(cut).toBeLessThan(32);
		// A storm's 403s arrive together: they cut the limit once a second, not once per answer.
		expect(cut).toBeGreaterThanOrEqual(1);

		google.setRateLimit(null);
		for (let round = 0; round < 6; round++) await Promise.all(items.map(async (item) => await textOf(connection, item)));
		expect(connection.downloads.limit).toBeGreaterThan(cut);
		// A slot comes back once the stream has finished, a tick after its last chunk was read.
		await new Promise((resolve) => setImmediate(resolve));
		expect(connection.downloads.running).toBe(0);
	}, 30_000);

	it('gives its slot back when a file cannot be exported', async () => {
		await new Promise((resolve) => setImmediate(resolve));
		const running = connection.downloads.running;
		const outcome = await googleDriveProvider.exportItem(connection, { item: itemOf('no-such-file', 'gone.txt') });
		expect(outcome).toMatchObject({ kind: 'skipped', skipReason: 'not_found' });
		expect(connection.downloads.running).toBe(running);
	});
});
