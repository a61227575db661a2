/**
 * Starts both fakes at once, for e2e harnesses and manual sessions. There is no CLI entry point:
 * ts-node is not installed, and Node's own type stripping cannot resolve these extensionless imports.
 *
 *   const fakes = await startFakeServers();
 *   spawn('n8n', ['start'], { env: { ...process.env, ...fakes.env } });
 *   …
 *   await fakes.close();
 */
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from './googleApi';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions } from './graphApi';
import { startFakeNotion, type FakeNotion, type FakeNotionOptions } from './notionApi';

export interface FakeServers {
	google: FakeGoogle;
	notion: FakeNotion;
	/** Microsoft Graph (OneDrive and SharePoint) and its identity platform. */
	graph: FakeGraph;
	/** Settings that point the connectors at the fakes (docs/architecture.md, "Other settings"). */
	env: {
		CONNECTORS_GOOGLE_API_URL: string;
		CONNECTORS_NOTION_API_URL: string;
		CONNECTORS_MICROSOFT_GRAPH_URL: string;
		CONNECTORS_MICROSOFT_LOGIN_URL: string;
	};
	close(): Promise<void>;
}

export async function startFakeServers(
	options: { google?: FakeGoogleOptions; notion?: FakeNotionOptions; graph?: FakeGraphOptions } = {},
): Promise<FakeServers> {
	const [google, notion, graph] = await Promise.all([startFakeGoogle(options.google), startFakeNotion(options.notion), startFakeGraph(options.graph)]);
	return {
		google,
		notion,
		graph,
		env: {
			CONNECTORS_GOOGLE_API_URL: google.origin,
			CONNECTORS_NOTION_API_URL: notion.url,
			CONNECTORS_MICROSOFT_GRAPH_URL: graph.origin,
			CONNECTORS_MICROSOFT_LOGIN_URL: graph.origin,
		},
		close: async () => {
			await Promise.all([google.close(), notion.close(), graph.close()]);
		},
	};
}
