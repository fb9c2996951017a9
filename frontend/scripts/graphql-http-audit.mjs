// GraphQL over HTTP conformance of a running Baton server: graphql-http's audit suite.
// Usage: node scripts/graphql-http-audit.mjs http://127.0.0.1:8000/graphql
// Prints one JSON line per check ({id, name, status, reason}); exits 0 when all ran.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: graphql-http-audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
for (const { id, name, status, reason } of results) {
  console.log(JSON.stringify({ id, name, status, reason: reason ?? null }));
}
