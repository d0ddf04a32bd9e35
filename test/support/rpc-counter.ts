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
}

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
      onCall({ method, documents: documentsIn(rest) }, answered);
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
