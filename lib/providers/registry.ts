/**
 * Every provider the package ships. Adding one is a folder under lib/providers/ implementing
 * ConnectorProvider and one line here; nothing outside a provider's folder and this file names it.
 * Providers do not import lib/policy (the engine applies the policy), which imports this file.
 */
import { dropboxProvider } from './dropbox';
import { googleDriveProvider } from './googleDrive';
import { notionProvider } from './notion';
import { oneDriveProvider } from './oneDrive';
import type { ProviderFacts, ProviderId } from './types';

const PROVIDERS: readonly ProviderFacts[] = [
	googleDriveProvider,
	notionProvider,
	dropboxProvider,
	oneDriveProvider,
];

/** The `provider` values of every shipped provider, e.g. for ORG_CONNECTORS_ENABLED_PROVIDERS. */
export function providerIds(): ProviderId[] {
	return PROVIDERS.map((provider) => provider.id);
}

export function findProvider(id: ProviderId): ProviderFacts | undefined {
	return PROVIDERS.find((provider) => provider.id === id);
}

/** How messages name a provider: its display name, or the id itself for one the package does not ship. */
export function providerName(id: ProviderId): string {
	return findProvider(id)?.displayName ?? id;
}
