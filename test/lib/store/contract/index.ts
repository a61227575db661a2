/**
 * The behaviour every ConnectorStore keeps, whatever holds its state. An implementation runs it
 * from its own test file: `describeStoreContract('PostgreSQL', postgresUnderTest())`.
 */
import type { ConnectorStore, StoreSettings } from '../../../../lib/store';
import { manualClock } from '../helpers';
import { checkAndCommit } from './checkAndCommit';
import { committedCursor } from './committedCursor';
import { exportNotes } from './exportNotes';
import { implicitRuns } from './implicitRuns';
import { listedItems } from './listedItems';
import { listingSnapshots } from './listingSnapshots';
import { metadataChanges } from './metadataChanges';
import { overlappingRuns } from './overlappingRuns';
import { runsStatusAndForget } from './runsStatusAndForget';
import { runSlots } from './runSlots';
import { sourceOwners } from './sourceOwners';
import type { StoreContract } from './support';

export type { StoreContract } from './support';

/** How the contract reaches an implementation. */
export interface StoreUnderTest {
	/** Before each test: state of the test's own, empty (a new file, a new schema). */
	setUp?(): Promise<void> | void;
	/** A store over the current test's state; two calls in one test share it, as two processes would. */
	open(settings: StoreSettings): Promise<ConnectorStore>;
	/** After each test, once every store it opened is closed. */
	tearDown?(): Promise<void> | void;
}

export function describeStoreContract(name: string, target: StoreUnderTest): void {
	describe(`the ${name} store`, () => {
		let clock = manualClock();
		const opened: ConnectorStore[] = [];
		beforeEach(async () => {
			clock = manualClock();
			await target.setUp?.();
		});
		afterEach(async () => {
			while (opened.length > 0) await opened.pop()?.close();
			await target.tearDown?.();
		});
		const contract: StoreContract = {
			open: async (settings = {}) => {
				const store = await target.open({ now: clock.now, ...settings });
				opened.push(store);
				return store;
			},
			get clock() {
				return clock;
			},
		};

		checkAndCommit(contract);
		committedCursor(contract);
		overlappingRuns(contract);
		implicitRuns(contract);
		runsStatusAndForget(contract);
		runSlots(contract);
		listedItems(contract);
		listingSnapshots(contract);
		metadataChanges(contract);
		sourceOwners(contract);
		exportNotes(contract);
	});
}
