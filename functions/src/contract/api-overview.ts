/**
 * @module api-overview
 * What holds across the API (authentication, rate limits, errors, signatures, prices): the OpenAPI
 * document's `info.description`, and the opening of docs/API.md, which is generated from it.
 */
export const API_OVERVIEW = `Metrics of AI agents (their knowledge documents and model calls), computed once when a source
changes, signed, and served from a cache. Base URL on the emulator:
\`http://127.0.0.1:5001/demo-metrics/us-central1/api\`; through Hosting the same routes answer under
\`/api\` (for example \`http://127.0.0.1:5000/api/v1/health\`).

## Authentication

- **Session**: \`Authorization: Bearer <Firebase ID token>\`, or the cookie \`__session=<session cookie>\`
  (the only cookie Hosting forwards to functions). The bearer token wins when both are present. A
  write that uses the cookie must come from this deployment's own pages (its \`Origin\`), or it is 403.
- **API key**: \`X-API-Key: mk_live_…\` (\`mk_test_…\` on the emulator). The key must belong to the
  session's user and hold the route's permission. Keys carry a CRC-32 checksum: a mistyped key is
  refused before any database read.

| failure | status | code |
| --- | --- | --- |
| no session, or an invalid, expired or revoked one | 401 | \`UNAUTHENTICATED\` |
| no key, a malformed, unknown, revoked or expired key, or someone else's key | 401 | \`UNAUTHENTICATED\` |
| a valid key without the route's permission | 403 | \`PERMISSION_DENIED\` |
| not allowed to read that agent, or the agent does not exist | 403 | \`PERMISSION_DENIED\` |

Permissions: \`read:agent-metrics\`, \`write:agent-metrics\`, \`read:user-metrics\`, \`read:org-metrics\`,
\`write:interactions\`, \`read:cache-stats\`, and \`admin:all\` (every permission the key's user may use).
\`read:cache-stats\` is an operator permission: only a user whose Firebase token carries the custom
claim \`operator: true\` may grant it to a key or use it, whatever the key holds.

## Signatures

Every metrics view and series is signed (\`signature\` over \`data\`, never over \`meta\`): Ed25519 over
the UTF-8 of a header, the key id, \`signedAt\` and the canonical JSON of \`data\` (RFC 8785, the JSON
Canonicalization Scheme), one per line. The header names the kind: \`agent-metrics-view/v1\` for a
metrics view, \`agent-metrics-series/v1\` for a series, so a series never verifies as the view of the
same scope and id. \`GET /v1/signing-keys\` serves the public keys, so any client verifies without a
secret.

## Rate limits

Per key, \`rateLimitPerMinute\` (default 60) over a sliding minute. Every response to a request whose
key was recognised carries \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\` (seconds);
over the limit: \`429 RESOURCE_EXHAUSTED\` with \`Retry-After\` and \`retryAfterSeconds\`. Refused keys,
sign-ins and session-only routes are limited too (per user, or per client address where there is no
user: docs/SECURITY.md).

## Errors

Every refusal: \`{ "error": { "code", "message", "retryAfterSeconds"?, "details"? } }\`
(\`ErrorEnvelope\`). Validation errors list \`details: [{ "path", "message" }]\` and never echo the
rejected value. Unknown routes are 404 \`NOT_FOUND\`; an unreachable Firestore is 503 \`UNAVAILABLE\`
with \`Retry-After\`; anything unexpected is 500 \`INTERNAL\` with a generic message (the cause goes to
the logs, never to the client).

## Prices (\`metrics_config/pricing\`)

Each model's rates are a dated schedule: \`{ "models": { "<model or prefix*>": [{ "effectiveFrom": "<ISO 8601 or
timestamp>", "inputPerMTok", "outputPerMTok", "cacheReadPerMTok"?, "cacheWritePerMTok"?, "tiers"? }, …] } }\`
(a single rate without \`effectiveFrom\` applies from the beginning of time; an omitted cache rate is the
input rate; a tier \`{ "aboveInputTokens", "inputPerMTok", "outputPerMTok", … }\` prices every token of an
interaction whose whole prompt is above it, the highest such tier winning). A model is priced by its
exact key, else the longest \`prefix*\` key (\`"gpt-4o-2024*"\` matches \`gpt-4o-2024-08-06\`), else the
shipped defaults matched the same way, else a fallback of $3 / $15 per million tokens. Each interaction
is priced at the rate in effect at its \`occurredAt\`. A change, even one dated in the past, re-prices the
affected agents (those whose views hold a model that now costs differently) within seconds of the write,
with no new interaction.`;
