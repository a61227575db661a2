// n8n loads nodes and credentials from the `n8n` field of package.json; this
// entry point only exists so that `require('n8n-nodes-external-connectors')` works.
module.exports = {};
