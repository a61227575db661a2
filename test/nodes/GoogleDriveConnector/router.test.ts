import { NodeOperationError } from 'n8n-workflow';

import { GoogleDriveConnector } from '../../../nodes/GoogleDriveConnector/GoogleDriveConnector.node';
import * as exportOperation from '../../../nodes/GoogleDriveConnector/actions/export.operation';
import * as listChanges from '../../../nodes/GoogleDriveConnector/actions/listChanges.operation';
import { operations } from '../../../nodes/GoogleDriveConnector/actions/router';
import { executeContext } from '../support';

describe('Google Drive Connector router', () => {
	it('has a handler for browse, listChanges and export, the operations the picker offers', () => {
		expect(Object.keys(operations)).toEqual(['browse', 'listChanges', 'export']);
		const picker = new GoogleDriveConnector().description.properties.find((p) => p.name === 'operation');
		expect(picker?.options?.map((option) => (option as { value: string }).value)).toEqual(Object.keys(operations));
	});

	it('hands the whole batch to listChanges and export, which have a Skipped output of their own', () => {
		expect(operations.listChanges).toBe(listChanges.execute);
		expect(operations.export).toBe(exportOperation.execute);
	});

	it('fails an unknown operation before any request, naming the operations there are', async () => {
		const ctx = executeContext({ node: { name: 'Google Drive Connector' }, parameters: { operation: 'upload' } });
		const run = new GoogleDriveConnector().execute.call(ctx);
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run).rejects.toMatchObject({
			message: 'Unknown operation "upload"',
			description: "This node's operations are browse, listChanges, export.",
		});
	});
});
