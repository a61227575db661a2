// A real n8n takes seconds per command; an n8n server minutes to activate a webhook.
jest.setTimeout(300_000);
