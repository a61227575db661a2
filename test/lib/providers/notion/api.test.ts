import { APIErrorCode, APIResponseError, type Client } from '@notionhq/client';

import { NotionApi } from '../../../../lib/providers/notion/api';

function apiError(status: number, code: APIErrorCode): APIResponseError {
	return new APIResponseError({
		code,
		status,
		message: `${code}`,
		headers: {},
		rawBodyText: '{}',
		additional_data: undefined,
		request_id: undefined,
	});
}

function clientFailingWith(error: unknown): Client {
	return {
		databases: {
			retrieve: async () => {
				throw error;
			},
		},
	} as unknown as Client;
}

describe('NotionApi', () => {
	it('reads a database it is not shown, or that Notion refuses to read (a linked database), as absent', async () => {
		await expect(new NotionApi(clientFailingWith(apiError(404, APIErrorCode.ObjectNotFound))).databaseIfReadable('d')).resolves.toBeNull();
		await expect(new NotionApi(clientFailingWith(apiError(400, APIErrorCode.ValidationError))).databaseIfReadable('d')).resolves.toBeNull();
	});

	it('still fails on errors that are not about that database', async () => {
		const api = new NotionApi(clientFailingWith(apiError(401, APIErrorCode.Unauthorized)));
		await expect(api.databaseIfReadable('d')).rejects.toMatchObject({ status: 401 });
		await expect(new NotionApi(clientFailingWith(apiError(400, APIErrorCode.ValidationError))).database('d')).rejects.toMatchObject({
			status: 400,
		});
	});

	it('counts every request and refuses new ones once the caller aborts', async () => {
		const controller = new AbortController();
		const client = { databases: { retrieve: async () => ({ object: 'database', id: 'd', title: [], data_sources: [], parent: { type: 'workspace', workspace: true } }) } } as unknown as Client;
		const api = new NotionApi(client, 2, controller.signal);
		await api.database('d');
		controller.abort(new Error('cancelled'));
		await expect(api.database('d')).rejects.toThrow('cancelled');
		expect(api.requests).toBe(1);
	});
});
