/**
 * @module contract
 * The wire contract of the API, shared by the server and the browser (the functions package exports
 * it as `metrics-functions/contract`): the request and response schemas and the types inferred from
 * them, error codes, permissions, source kinds, the canonical JSON and the signed-message format.
 * Nothing here imports Firebase or Node: a bundler takes only what a page uses (the schemas pull in
 * zod, the constants and types nothing).
 */
export * from "./base64url";
export * from "./canonical-json";
export * from "./document-bounds";
export * from "./error-codes";
export * from "./freshness";
export * from "./limits";
export * from "./permissions";
export * from "./signed-message";
export * from "./source-kinds";
export * from "./schemas/api-keys";
export * from "./schemas/errors";
export * from "./schemas/ids";
export * from "./schemas/interactions";
export * from "./schemas/metrics";
export * from "./schemas/requests";
export * from "./schemas/series";
export * from "./schemas/service";
export * from "./schemas/signatures";
export { API_ROUTES, type ApiRoute, type RouteAuth } from "./api-routes";
export { buildOpenApiDocument, type OpenApiDocument } from "./openapi";
