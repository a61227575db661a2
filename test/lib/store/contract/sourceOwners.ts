import { item, OTHER_SOURCE, SOURCE } from '../helpers';
import type { StoreContract } from './support';

const WORKFLOW_A = 'workflow:A';
const WORKFLOW_B = 'workflow:B';
const drive = { sourceKey: SOURCE, provider: 'google_drive' };
const notion = { sourceKey: OTHER_SOURCE, provider: 'notion' };

export function sourceOwners({ open }: StoreContract): void {
	describe('source owners', () => {
		it('lets the workflow that listed a source use it and refuses every other workflow', async () => {
			const store = await open();
			await store.owners.recordListing(drive, WORKFLOW_A);
			expect(await store.owners.refused(WORKFLOW_A, [drive], { adopt: false })).toEqual(new Set());
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: false })).toEqual(new Set([SOURCE]));
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: true })).toEqual(new Set([SOURCE]));
			expect(await store.owners.sourcesOf(WORKFLOW_A)).toEqual([SOURCE]);
			expect(await store.owners.sourcesOf(WORKFLOW_B)).toEqual([]);
		});

		it('shares a source between workflows that both listed it', async () => {
			const store = await open();
			await store.owners.recordListing(drive, WORKFLOW_A);
			await store.owners.recordListing(drive, WORKFLOW_B);
			await store.owners.recordListing(drive, WORKFLOW_B);
			expect(await store.owners.refused(WORKFLOW_A, [drive], { adopt: false })).toEqual(new Set());
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: false })).toEqual(new Set());
		});

		it('gives a source nobody owns to the first workflow that adopts it, and refuses it to the next', async () => {
			const store = await open();
			expect(await store.owners.refused(WORKFLOW_A, [drive], { adopt: false })).toEqual(new Set([SOURCE]));
			expect(await store.owners.sourcesOf(WORKFLOW_A)).toEqual([]);
			expect(await store.owners.refused(WORKFLOW_A, [drive, notion, drive], { adopt: true })).toEqual(new Set());
			expect(await store.owners.sourcesOf(WORKFLOW_A)).toEqual([SOURCE, OTHER_SOURCE].sort());
			expect(await store.owners.refused(WORKFLOW_B, [drive, notion], { adopt: true })).toEqual(new Set([SOURCE, OTHER_SOURCE]));
		});

		it('adopts a source the store knew before it kept owners', async () => {
			const store = await open();
			// A listing recorded before owners were kept leaves the source without one.
			await store.listed.record(SOURCE, 'google_drive', [item('file-1')]);
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: true })).toEqual(new Set());
			expect(await store.owners.refused(WORKFLOW_A, [drive], { adopt: true })).toEqual(new Set([SOURCE]));
		});

		it('takes a source from a workflow that only adopted it once another workflow lists it', async () => {
			const store = await open();
			await store.owners.refused(WORKFLOW_B, [drive], { adopt: true });
			await store.owners.recordListing(drive, WORKFLOW_A);
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: true })).toEqual(new Set([SOURCE]));
			expect(await store.owners.sourcesOf(WORKFLOW_B)).toEqual([]);
			expect(await store.owners.sourcesOf(WORKFLOW_A)).toEqual([SOURCE]);
		});

		it('keeps a workflow that adopted a source and then listed it itself', async () => {
			const store = await open();
			await store.owners.refused(WORKFLOW_A, [drive], { adopt: true });
			await store.owners.recordListing(drive, WORKFLOW_A);
			await store.owners.recordListing(drive, WORKFLOW_B);
			expect(await store.owners.refused(WORKFLOW_A, [drive], { adopt: false })).toEqual(new Set());
		});

		it('forgets the owners with the source, so the next workflow to list or check it owns it', async () => {
			const store = await open();
			await store.owners.recordListing(drive, WORKFLOW_A);
			await store.forget(SOURCE);
			expect(await store.owners.sourcesOf(WORKFLOW_A)).toEqual([]);
			expect(await store.owners.refused(WORKFLOW_B, [drive], { adopt: true })).toEqual(new Set());
		});
	});
}
