import type { INodeProperties } from 'n8n-workflow';

import { GoogleDriveConnector } from '../../../nodes/GoogleDriveConnector/GoogleDriveConnector.node';
import { POLICY_NARROWING_PARAMETER } from '../../../nodes/shared/policy';

const { description } = new GoogleDriveConnector();
const { properties } = description;
const OPERATIONS = ['browse', 'listChanges', 'export'];

const operationsShowing = (property: INodeProperties) => property.displayOptions?.show?.operation;
const namesFor = (operation: string) => properties.filter((p) => operationsShowing(p)?.includes(operation)).map((p) => p.name);

/** The node's outputs for an operation, as the editor evaluates the `outputs` expression. */
function outputsFor(operation: string): unknown {
	const expression = String(description.outputs).replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$parameter', `return ${expression};`)({ operation }) as unknown;
}

describe('Google Drive Connector description', () => {
	it('offers browse, listChanges and export, browse first', () => {
		const picker = properties.find((p) => p.name === 'operation');
		expect(picker?.options?.map((option) => (option as { value: string }).value)).toEqual(OPERATIONS);
		expect(picker?.default).toBe('browse');
		expect(picker?.noDataExpression).toBe(true);
	});

	it('shows every other parameter but the credential choice for exactly one operation', () => {
		for (const property of properties.filter((p) => p.name !== 'operation' && p.name !== 'authentication')) {
			const shownFor = operationsShowing(property);
			expect({ name: property.name, shownFor }).toEqual({ name: property.name, shownFor: [expect.stringMatching(new RegExp(`^(${OPERATIONS.join('|')})$`))] });
		}
	});

	it("holds each operation's own parameters", () => {
		expect(namesFor('browse')).toEqual(['location', 'folderId', 'driveId', 'returnAll', 'limit']);
		expect(namesFor('listChanges')).toEqual(['source', 'sourceFolderId', 'sourceDriveId', 'recursive', 'listOptions', POLICY_NARROWING_PARAMETER]);
		expect(namesFor('export')).toEqual(['exportFormats', 'exportOptions', POLICY_NARROWING_PARAMETER]);
	});

	it('offers Restrict Further on listChanges and export only', () => {
		const restrict = properties.filter((p) => p.name === POLICY_NARROWING_PARAMETER);
		expect(restrict.map((p) => p.displayName)).toEqual(['Restrict Further', 'Restrict Further']);
		expect(restrict.flatMap((p) => operationsShowing(p))).toEqual(['listChanges', 'export']);
	});

	it("keeps a parameter's own condition beside its operation", () => {
		const shown = (name: string, operation: string) => properties.find((p) => p.name === name && operationsShowing(p)?.includes(operation))?.displayOptions?.show;
		expect(shown('folderId', 'browse')).toEqual({ location: ['folder'], operation: ['browse'] });
		expect(shown('driveId', 'browse')).toEqual({ location: ['sharedDrive'], operation: ['browse'] });
		expect(shown('limit', 'browse')).toEqual({ returnAll: [false], operation: ['browse'] });
		expect(shown('sourceFolderId', 'listChanges')).toEqual({ source: ['folder'], operation: ['listChanges'] });
		expect(shown('sourceDriveId', 'listChanges')).toEqual({ source: ['sharedDrive'], operation: ['listChanges'] });
		expect(shown('recursive', 'listChanges')).toEqual({ source: ['folder'], operation: ['listChanges'] });
	});

	it('has a Skipped output on listChanges and export, one output on browse', () => {
		expect(outputsFor('browse')).toEqual(['main']);
		for (const operation of ['listChanges', 'export']) {
			expect(outputsFor(operation)).toEqual([{ type: 'main' }, { type: 'main', displayName: 'Skipped' }]);
		}
	});

	it('lets the editor ask for 1 to 32 parallel downloads', () => {
		const exportOptions = properties.find((p) => p.name === 'exportOptions');
		const concurrency = (exportOptions?.options as INodeProperties[] | undefined)?.find((o) => o.name === 'concurrency');
		expect(concurrency?.typeOptions).toEqual({ minValue: 1, maxValue: 32 });
	});

	it('speaks as the OAuth2 credential by default, or as the service account credential when chosen', () => {
		const choice = properties.find((p) => p.name === 'authentication');
		expect(choice?.default).toBe('oAuth2');
		expect(choice?.options?.map((option) => (option as { value: string }).value)).toEqual(['oAuth2', 'serviceAccount']);
		expect(description.credentials).toEqual([
			{ name: 'googleDriveConnectorOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'googleDriveConnectorServiceAccountApi', required: true, displayOptions: { show: { authentication: ['serviceAccount'] } } },
		]);
	});
});
