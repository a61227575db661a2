import { sharedStore } from '../../../lib/store';
import { useCacheFile } from '../cacheFile';
import { OTHER_SOURCE, SOURCE, checkAndCommit, dedup, ids, listed } from './dedup';

const THIRD_SOURCE = 'dropbox:dbid:carol:folder:/Reports';

/** Each workflow sees and changes only its own sources; CONNECTORS_STATE_ADMIN_WORKFLOWS names the exceptions. */
describe('Connector Dedup keeps each workflow to its own sources', () => {
	useCacheFile();

	beforeEach(async () => {
		// workflow-1 listed SOURCE; workflow-2 adopted OTHER_SOURCE by checking it first.
		await (await sharedStore()).owners.recordListing({ sourceKey: SOURCE, provider: 'google_drive' }, 'workflow:workflow-1');
		await checkAndCommit([listed('a'), listed('b')], 'e1');
		await dedup('check', { items: [listed('page-1', { provider: 'notion', source_key: OTHER_SOURCE })], executionId: 'e2', workflowId: 'workflow-2' });
	});

	afterEach(() => {
		delete process.env.CONNECTORS_STATE_ADMIN_WORKFLOWS;
	});

	it("lists only the workflow's sources in Status without a Source Key", async () => {
		const [first] = await dedup('status', { parameters: { sourceKey: '' } });
		const [second] = await dedup('status', { parameters: { sourceKey: '' }, workflowId: 'workflow-2' });
		const [third] = await dedup('status', { parameters: { sourceKey: '' }, workflowId: 'workflow-3' });
		expect(first.map((source) => source.json.source_key)).toEqual([SOURCE]);
		expect(second.map((source) => source.json.source_key)).toEqual([OTHER_SOURCE]);
		expect(third).toEqual([]);
	});

	it("refuses Status and Forget of another workflow's source, saying how to get access, and forgets nothing", async () => {
		const refusal = {
			message: `Source ${SOURCE} is not a source of this workflow (workflow-2)`,
			description: expect.stringContaining('CONNECTORS_STATE_ADMIN_WORKFLOWS'),
		};
		await expect(dedup('status', { parameters: { sourceKey: SOURCE }, workflowId: 'workflow-2' })).rejects.toMatchObject(refusal);
		await expect(dedup('forget', { parameters: { sourceKey: SOURCE }, workflowId: 'workflow-2' })).rejects.toMatchObject(refusal);
		expect((await (await sharedStore()).status(SOURCE))[0]).toMatchObject({ itemsKnown: 2 });
	});

	it("refuses to check, commit or release items of another workflow's source, naming the item", async () => {
		const crafted = [listed('page-9', { provider: 'notion', source_key: OTHER_SOURCE }), listed('c')];
		await expect(dedup('check', { items: [listed('c'), crafted[0]], executionId: 'e3' })).rejects.toMatchObject({
			message: `Source ${OTHER_SOURCE} is not a source of this workflow (workflow-1) (item 1)`,
		});
		await expect(dedup('commit', { items: [listed('b', { source_key: SOURCE, run_id: 1 })], executionId: 'e3', workflowId: 'workflow-2' })).rejects.toMatchObject({
			message: `Source ${SOURCE} is not a source of this workflow (workflow-2) (item 0)`,
		});
		await expect(
			dedup('release', { items: [listed('b', { source_key: SOURCE, run_id: 1 })], executionId: 'e3', workflowId: 'workflow-2' }),
		).rejects.toMatchObject({ message: `Source ${SOURCE} is not a source of this workflow (workflow-2) (item 0)` });
		// Nothing of the refused batch was checked: c is still new to workflow-1.
		const [fresh] = await dedup('check', { items: [listed('c')], executionId: 'e4' });
		expect(ids(fresh)).toEqual(['c']);
	});

	it('gives a source nobody owns to the first workflow that checks it, and refuses it to the next', async () => {
		const third = listed('r1', { provider: 'dropbox', source_key: THIRD_SOURCE });
		const [adopted] = await dedup('check', { items: [third], executionId: 'e5', workflowId: 'workflow-3' });
		expect(ids(adopted)).toEqual(['r1']);
		await expect(dedup('check', { items: [third], executionId: 'e6', workflowId: 'workflow-4' })).rejects.toMatchObject({
			message: `Source ${THIRD_SOURCE} is not a source of this workflow (workflow-4) (item 0)`,
		});
	});

	it('lets a workflow named in CONNECTORS_STATE_ADMIN_WORKFLOWS see and forget every source, adopting none', async () => {
		process.env.CONNECTORS_STATE_ADMIN_WORKFLOWS = ' maintenance , other ';
		const [all] = await dedup('status', { parameters: { sourceKey: '' }, workflowId: 'maintenance' });
		expect(all.map((source) => source.json.source_key).sort()).toEqual([SOURCE, OTHER_SOURCE].sort());
		const [[forgotten]] = await dedup('forget', { parameters: { sourceKey: OTHER_SOURCE }, workflowId: 'maintenance' });
		expect(forgotten.json).toMatchObject({ source_key: OTHER_SOURCE, items_removed: 0 });
		expect(await (await sharedStore()).owners.sourcesOf('workflow:maintenance')).toEqual([]);
	});

	it('refuses to touch the state from a workflow that was never saved', async () => {
		await expect(dedup('status', { parameters: { sourceKey: '' }, workflowId: null })).rejects.toMatchObject({
			message: "This workflow has no id, and the connectors' state is kept per workflow",
			description: 'Save the workflow, then run it again.',
		});
	});
});
