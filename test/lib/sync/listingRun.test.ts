import type { ProviderAccount } from '../../../lib/providers/types';
import { runListing, type ListingOptions, type RunPolicy } from '../../../lib/sync';
import { FAKE_PROVIDER, FakeProvider, fakeSourceKey } from './fakeProvider';
import { checkAndCommit, committedCursor, policyWith, recordingHost, runPolicy, useStore, type RecordingHost } from './support';

const SOURCE_KEY = fakeSourceKey();
const EXECUTION = 'exec-listing-run';

describe('runListing', () => {
	const store = useStore();
	let fake: FakeProvider;
	let host: RecordingHost;

	beforeEach(() => {
		fake = new FakeProvider();
		host = recordingHost(EXECUTION);
	});

	async function listing(run: RunPolicy = runPolicy(), options?: ListingOptions, account?: ProviderAccount) {
		return await runListing({
			store: store(),
			provider: fake,
			connection: { credentialKey: 'cred' },
			host,
			source: { root: 'root' },
			sourceKey: SOURCE_KEY,
			run,
			options,
			account,
		});
	}

	const denyPrivate = () => runPolicy(policyWith({ paths: { [FAKE_PROVIDER]: { allow: null, deny: ['/Private/**'] } } }));

	it('records a run with the execution and the effective policy', async () => {
		fake.put('a', { path: '/a.txt' });
		const run = denyPrivate();
		const { runId } = await listing(run);
		expect(await store().runs.get(runId)).toMatchObject({
			sourceKey: SOURCE_KEY,
			provider: FAKE_PROVIDER,
			executionId: EXECUTION,
			status: 'running',
			policy: run.description,
		});
	});

	it('hands the provider the account already checked, so it need not ask who it is again', async () => {
		fake.put('a', { path: '/a.txt' });
		const account: ProviderAccount = { accountId: 'ws-1', email: null, workspaceId: 'ws-1', workspaceName: 'Acme' };
		await listing(runPolicy(), undefined, account);
		expect(fake.listCalls.map((call) => call.account)).toEqual([account]);
	});

	it("makes the listing workflow an owner of the source's state, taking it from a workflow that only adopted it", async () => {
		fake.put('a', { path: '/a.txt' });
		await store().owners.refused('workflow:adopter', [{ sourceKey: SOURCE_KEY, provider: FAKE_PROVIDER }], { adopt: true });
		await listing();
		expect(await store().owners.sourcesOf(host.scope.owner)).toEqual([SOURCE_KEY]);
		expect(await store().owners.sourcesOf('workflow:adopter')).toEqual([]);
	});

	it('sends items the policy refuses to skipped with a reason and a detail', async () => {
		fake.put('secret', { path: '/Private/secret.txt' }).put('a', { path: '/Public/a.txt' }).put('b', { path: '/Public/b.txt' });
		const result = await listing(denyPrivate());
		expect(result.allowed.map((item) => item.external_id)).toEqual(['a', 'b']);
		expect(result.skipped).toEqual([
			{
				...fake.item('secret'),
				run_id: result.runId,
				skip_reason: 'policy_path',
				skip_detail: '/Private/secret.txt is in a path the org policy denies (/Private/**)',
			},
		]);
	});

	it("settles refused items at once, so the run's cursor commits once the allowed ones are committed", async () => {
		fake.put('secret', { path: '/Private/secret.txt' }).put('a', { path: '/Public/a.txt' });
		const result = await listing(denyPrivate());
		expect((await store().runs.get(result.runId))?.skippedByReason).toEqual({ policy_path: 1 });
		expect(await committedCursor(store(), SOURCE_KEY)).toBeNull();

		await checkAndCommit(store(), result.allowed, EXECUTION);

		expect(await committedCursor(store(), SOURCE_KEY)).toEqual({ position: 2, snapshot: String(result.runId) });
		expect((await store().runs.get(result.runId))?.status).toBe('success');
	});

	it('hints how many items went to skipped, per reason, after the narrowing the org policy overrode', async () => {
		fake.put('secret', { path: '/Private/secret.txt' }).put('a', { path: '/Public/a.txt' });
		await listing({ ...denyPrivate(), warnings: ['The org policy does not allow widening the file types'] });
		expect(host.hints).toEqual([
			'The org policy does not allow widening the file types',
			'1 item(s) went to the Skipped output (policy_path: 1)',
		]);
	});

	it('marks the run as failed with the message when the listing throws, and throws it on', async () => {
		fake.failListing(new Error('Fake Drive answered 500'));
		await expect(listing()).rejects.toThrow('Fake Drive answered 500');
		const [status] = await store().status(SOURCE_KEY);
		const run = await store().runs.get(status.lastRun?.runId ?? 0);
		expect(run).toMatchObject({ status: 'error', errors: ['Fake Drive answered 500'] });
		expect(run?.finishedAt).not.toBeNull();
	});

	it("logs the provider's warnings as warnings and shows them as hints", async () => {
		fake.warnings = ['the stored change token expired; the source was listed in full again'];
		await listing();
		expect(host.warnings).toEqual(['Fake Drive listChanges: the stored change token expired; the source was listed in full again']);
		expect(host.hints).toEqual(['the stored change token expired; the source was listed in full again']);
	});

	it('ends with a summary line: counts, items out, a full listing, requests and more to come', async () => {
		fake.put('secret', { path: '/Private/secret.txt' }).put('a', { path: '/Public/a.txt' }).put('b', { path: '/Public/b.txt' });
		await listing(denyPrivate(), { maxItems: 2 });
		expect(host.infos).toHaveLength(1);
		expect(host.infos[0]).toMatch(
			new RegExp(
				`^Fake Drive listChanges ${SOURCE_KEY}: 2 listed, 1 skipped, 0 deleted in \\d+ s, done: ` +
					'2 item\\(s\\) out from a full listing in 1 Fake Drive request\\(s\\), more on the next run$',
			),
		);
	});

	it('counts deletions apart from listed items, and does not count twice what the provider counted', async () => {
		fake.countsListed = true;
		fake.put('a', { path: '/a.txt' }).put('b', { path: '/b.txt' });
		const first = await listing();
		await checkAndCommit(store(), first.allowed, EXECUTION);
		fake.remove('a');
		fake.put('c', { path: '/c.txt' });
		await listing();
		expect(host.infos[1]).toMatch(/: 1 listed, 1 deleted in \d+ s, done: 2 item\(s\) out in 1 Fake Drive request\(s\)$/);
	});
});
