import { NodeOperationError } from 'n8n-workflow';

import { ConnectorDedup } from '../../../nodes/ConnectorDedup/ConnectorDedup.node';
import { dedup } from './dedup';

describe('Connector Dedup router', () => {
	it('offers check, commit, release, status and forget', () => {
		const picker = new ConnectorDedup().description.properties.find((p) => p.name === 'operation');
		expect(picker?.options?.map((option) => (option as { value: string }).value)).toEqual(['check', 'commit', 'forget', 'release', 'status']);
	});

	it('fails an unknown operation naming the operations there are', async () => {
		const run = dedup('purge');
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run).rejects.toMatchObject({
			message: 'Unknown operation "purge"',
			description: "This node's operations are check, commit, release, status, forget.",
		});
	});

	it('shows each parameter only for its own operation', () => {
		const shown = new ConnectorDedup().description.properties
			.filter((p) => p.name !== 'operation')
			.map((p) => [p.name, p.displayOptions?.show?.operation]);
		expect(shown).toEqual([
			['checkNotice', ['check']],
			['checkOptions', ['check']],
			['checkNode', ['commit', 'release']],
			['releaseNotice', ['release']],
			['releaseOptions', ['release']],
			['sourceKey', ['status']],
			['sourceKey', ['forget']],
		]);
	});
});
