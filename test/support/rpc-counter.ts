/**
 * @module rpc-counter
 * Counts the RPCs a firebase-admin Firestore instance sends to the backend, by wrapping the two
 * methods every call goes through (`request` for unary calls such as commit, `requestStream` for
 * streamed ones such as batchGetDocuments and runQuery). Only the wrapped instance is affected, so
 * a test can give the app under test its own instance and count exactly what the app sends.
 */
import type { Firestore } from "firebase-admin/firestore";

export interface Rpc {
  method: string;
  /** Documents asked for by a batchGetDocuments call (0 for other methods). */
  documents: number;
  /** For a batchGetDocuments call: the collection of each document asked for. */
  collections?: string[];
  /** For a runQuery: the collection it asks, and the values its equality filters require, by field. */
  query?: { collection: string; equals: Record<string, string> };
}

interface StructuredQuery {
  from?: Array<{ collectionId?: string }>;
  where?: { fieldFilter?: FieldFilter; compositeFilter?: { filters?: Array<{ fieldFilter?: FieldFilter }> } };
}
interface FieldFilter {
  field?: { fieldPath?: string };
  op?: string;
  value?: { stringValue?: string };
}

/** `projects/p/databases/d/documents/users/u1` → `users` (a subcollection's name for deeper paths). */
const collectionsIn = (args: unknown[]) => {
  const request = args.find((arg): arg is { documents?: unknown } => typeof arg === "object" && arg !== null && "documents" in arg);
  const names = Array.isArray(request?.documents) ? (request.documents as string[]) : [];
  return names.map((name) => name.split("/documents/")[1]?.split("/").slice(-2, -1)[0] ?? "");
};

const queryIn = (args: unknown[]): Rpc["query"] => {
  const request = args.find((arg): arg is { structuredQuery?: StructuredQuery } => typeof arg === "object" && arg !== null && "structuredQuery" in arg);
  const structured = request?.structuredQuery;
  if (!structured) return undefined;
  const filters = structured.where?.compositeFilter?.filters?.map((f) => f.fieldFilter) ?? [structured.where?.fieldFilter];
  const equals: Record<string, string> = {};
  for (const filter of filters) if (filter?.op === "EQUAL" && filter.field?.fieldPath && filter.value?.stringValue !== undefined) equals[filter.field.fieldPath] = filter.value.stringValue;
  return { collection: structured.from?.[0]?.collectionId ?? "", equals };
};

type Sender = (method: string, ...rest: unknown[]) => Promise<unknown>;

/** `request(method, request, …)` and `requestStream(method, bidirectional, request, …)`: the request is the first object. */
const documentsIn = (args: unknown[]) => {
  const request = args.find((arg): arg is { documents?: unknown } => typeof arg === "object" && arg !== null);
  return Array.isArray(request?.documents) ? request.documents.length : 0;
};

/** Calls `onCall` with every RPC `db` sends from now on, and the promise of its answer. */
export function observeRpcs(db: Firestore, onCall: (rpc: Rpc, answered: Promise<unknown>) => void): void {
  const target = db as unknown as Record<"request" | "requestStream", Sender>;
  for (const name of ["request", "requestStream"] as const) {
    const original = target[name].bind(db);
    target[name] = (method, ...rest) => {
      const answered = original(method, ...rest);
      const query = method === "runQuery" ? queryIn(rest) : undefined;
      const collections = method === "batchGetDocuments" ? collectionsIn(rest) : undefined;
      onCall({ method, documents: documentsIn(rest), ...(query ? { query } : {}), ...(collections ? { collections } : {}) }, answered);
      return answered;
    };
  }
}

/** Starts recording every RPC `db` sends; returns the live list. */
export function countRpcs(db: Firestore): Rpc[] {
  const calls: Rpc[] = [];
  observeRpcs(db, (rpc) => calls.push(rpc));
  return calls;
}
