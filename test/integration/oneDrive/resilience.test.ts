import { oneDriveProvider, type OneDriveSource } from '../../../lib/providers/oneDrive';
import { startFakeGraph, type FakeGraph } from '../../fakes/graphApi';
import { bearerFetch, listingRuns, testConnection } from './helpers';

const ACCOUNT = 'alice@contoso.com';

describe('OneDrive requests under throttling and failures, against the strict fake Microsoft Graph', () => {
	let graph: FakeGraph;

	beforeEach(async () => {
		graph = await startFakeGraph();
	});

	afterEach(async () => {
		expect(graph.internalErrors).toEqual([]);
		await graph.close();
	});

	it('rides out a 429 storm by waiting as Retry-After says, and lists every file', async () => {
		const root = graph.addFolder({ name: 'Root' });
		for (let index = 0; index < 12; index++) {
			const folder = graph.addFolder({ name: `F${index}`, parent: root.id });
			graph.addFile({ name: `f${index}.txt`, parent: folder.id, content: `${index}` });
		}
		graph.setRateLimit({ requestsPerSecond: 6, burst: 4 });
		const runs = await listingRuns(graph, testConnection(graph), ACCOUNT);
		try {
			const result = await runs.run({ kind: 'folder', driveId: 'me', folderId: root.id, recursive: true });
			expect(result.items).toHaveLength(12);
			expect(graph.throttledCount).toBeGreaterThan(0);
			const throttled = graph.requests.filter((request) => request.status === 429);
			expect(throttled.length).toBe(graph.throttledCount);
		} finally {
			await runs.close();
		}
	}, 30_000);

	it('retries 503 with Retry-After, other 5xx and dropped connections', async () => {
		graph.addFile({ name: 'a.txt', content: 'a' });
		const connection = testConnection(graph);
		graph.failNext(1, { status: 503, retryAfter: 0 });
		graph.failNext(1, { status: 502 });
		graph.failNext(1, { reset: true });

		const account = await oneDriveProvider.account(connection);

		expect(account.email).toBe('alice@contoso.com');
		expect(graph.requests.map((request) => request.status)).toEqual([503, 502, 0, 200]);
	}, 15_000);

	it('answers a refused request with Graph’s code and message and what to do next, without retrying it', async () => {
		const connection = testConnection(graph);
		graph.failNext(1, { status: 403, code: 'accessDenied', message: 'Access denied' });

		await expect(oneDriveProvider.account(connection)).rejects.toMatchObject({
			status: 403,
			graphCode: 'accessDenied',
			message: expect.stringContaining('Access denied (403 accessDenied)'),
			hint: expect.stringContaining('Files.Read.All'),
		});
		expect(graph.requests).toHaveLength(1);
	});

	it('opens the circuit breaker of one credential while Graph keeps failing, and leaves another credential’s alone', async () => {
		// No retry budget (read when a connection is made): each call is one attempt, so five calls are five failures in a row.
		process.env.CONNECTORS_RETRY_BUDGET_SECONDS = '0';
		try {
			const failing = testConnection(graph);
			const other = testConnection(graph, bearerFetch(graph.issueTokens().access_token));
			graph.failNext(5, { status: 500, retryAfter: 0 });
			for (let attempt = 0; attempt < 5; attempt++) await expect(oneDriveProvider.account(failing)).rejects.toMatchObject({ status: 500 });
			const sent = graph.requests.length;
			await expect(oneDriveProvider.account(failing)).rejects.toMatchObject({ code: 'provider_unavailable', message: expect.stringContaining('OneDrive keeps failing') });
			expect(graph.requests.length).toBe(sent);
			await expect(oneDriveProvider.account(other)).resolves.toMatchObject({ email: 'alice@contoso.com' });
		} finally {
			delete process.env.CONNECTORS_RETRY_BUDGET_SECONDS;
		}
	}, 15_000);

	it('refuses to follow a paging link to another host, so the token never leaves Graph', async () => {
		const source: OneDriveSource = { kind: 'drive', driveId: 'me' };
		const connection = testConnection(graph);
		const cursor = { deltaLink: 'https://evil.example.com/v1.0/drives/x/root/delta?token=abc' };
		const runs = await listingRuns(graph, connection, ACCOUNT);
		try {
			await runs.run(source);
			await expect(
				oneDriveProvider.listChanges(connection, {
					source,
					sourceKey: oneDriveProvider.sourceKey(ACCOUNT, source),
					cursor,
					snapshot: { driveId: graph.myDrive.id, rootId: graph.myDrive.rootId, recursive: true, folders: {}, files: {} },
					filter: () => true,
				}),
			).rejects.toThrow(/handed out a link to https:\/\/evil\.example\.com/);
		} finally {
			await runs.close();
		}
	});
});
