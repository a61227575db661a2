import type { INodeProperties } from 'n8n-workflow';

import { DropboxConnectorOAuth2Api } from '../../../credentials/DropboxConnectorOAuth2Api.credentials';
import { DropboxConnector } from '../../../nodes/DropboxConnector/DropboxConnector.node';
import { POLICY_NARROWING_PARAMETER } from '../../../nodes/shared/policy';

const { description } = new DropboxConnector();
const { properties } = description;
const OPERATIONS = ['browse', 'listChanges', 'export'];

const operationsShowing = (property: INodeProperties) => property.displayOptions?.show?.operation;
const namesFor = (operation: string) => properties.filter((p) => operationsShowing(p)?.includes(operation)).map((p) => p.name);

function outputsFor(operation: string): unknown {
	const expression = String(description.outputs).replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$parameter', `return ${expression};`)({ operation }) as unknown;
}

describe('Dropbox Connector description', () => {
	it('is dropboxConnector on the dropboxConnectorOAuth2Api credential, with browse, listChanges and export, browse first', () => {
		expect(description.name).toBe('dropboxConnector');
		expect(description.credentials).toEqual([{ name: 'dropboxConnectorOAuth2Api', required: true }]);
		const picker = properties.find((p) => p.name === 'operation');
		expect(picker?.options?.map((option) => (option as { value: string }).value)).toEqual(OPERATIONS);
		expect(picker?.default).toBe('browse');
	});

	it('shows every other parameter for exactly one operation, with its own parameters', () => {
		for (const property of properties.filter((p) => p.name !== 'operation')) {
			expect({ name: property.name, shownFor: operationsShowing(property) }).toEqual({ name: property.name, shownFor: [expect.stringMatching(/^(browse|listChanges|export)$/)] });
		}
		expect(namesFor('browse')).toEqual(['location', 'folder', 'returnAll', 'limit']);
		expect(namesFor('listChanges')).toEqual(['sourceFolder', 'recursive', 'listOptions', POLICY_NARROWING_PARAMETER]);
		expect(namesFor('export')).toEqual(['exportFormats', 'exportOptions', POLICY_NARROWING_PARAMETER]);
	});

	it('offers the folder as a list, a URL or a path/id, each validated in the editor', () => {
		const folder = properties.find((p) => p.name === 'sourceFolder');
		expect(folder?.modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		const regexOf = (mode: string) => new RegExp(String((folder?.modes?.find((m) => m.name === mode)?.validation?.[0] as unknown as { properties: { regex: string } }).properties.regex));
		expect(regexOf('url').test('https://www.dropbox.com/home/Handbook')).toBe(true);
		expect(regexOf('url').test('https://www.dropbox.com/scl/fo/abc/def?rlkey=1')).toBe(true);
		expect(regexOf('url').test('https://drive.google.com/drive/folders/1')).toBe(false);
		for (const value of ['/Handbook', 'id:a4ayc_80_OEAAAAAAAAAXw', 'ns:1234/Handbook']) expect(regexOf('id').test(value)).toBe(true);
		expect(regexOf('id').test('Handbook')).toBe(false);
	});

	it('has a Skipped output on listChanges and export, one output on browse', () => {
		expect(outputsFor('browse')).toEqual(['main']);
		for (const operation of ['listChanges', 'export']) expect(outputsFor(operation)).toEqual([{ type: 'main' }, { type: 'main', displayName: 'Skipped' }]);
	});

	it('asks Dropbox for offline access with read-only scopes, and tests the credential with users/get_current_account', () => {
		const credential = new DropboxConnectorOAuth2Api();
		const hidden = Object.fromEntries(credential.properties.map((p) => [p.name, p.default]));
		expect(credential.name).toBe('dropboxConnectorOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(hidden.authQueryParameters).toBe('token_access_type=offline');
		expect(String(hidden.scope).split(' ')).toEqual(['account_info.read', 'files.metadata.read', 'files.content.read', 'sharing.read', 'team_data.member', 'team_info.read']);
		expect(String(hidden.scope)).not.toMatch(/write/);
		expect(hidden.authUrl).toBe('https://www.dropbox.com/oauth2/authorize');
		expect(hidden.accessTokenUrl).toBe('https://api.dropboxapi.com/oauth2/token');
		expect(credential.test.request).toMatchObject({ url: '/2/users/get_current_account', method: 'POST' });
	});
});
