/**
 * @module written-event
 * For suites that drive trigger handlers by hand: performs a write and returns the event Firestore
 * would deliver for it (snapshots read just before and after, a fresh event id).
 */
import type { DocumentReference } from "firebase-admin/firestore";
import type { DocumentWrittenEvent } from "../../functions/src/triggers/agent-document-written";
import { unique } from "./emulators";

/** Sets `ref` to `data`, or deletes it when `data` is null, and returns the matching event. */
export async function writeWithEvent(ref: DocumentReference, data: Record<string, unknown> | null): Promise<DocumentWrittenEvent> {
  const before = await ref.get();
  if (data) await ref.set(data);
  else await ref.delete();
  const after = await ref.get();
  return { id: unique("event"), time: new Date().toISOString(), params: { docId: ref.id }, data: { before, after } } as unknown as DocumentWrittenEvent;
}
