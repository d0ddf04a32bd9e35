/**
 * @module priced-views
 * The agent views a change of prices affects: those whose `_models` list names a changed model, or
 * says "*" (they priced more names than they list). One `array-contains-any` query per 30 names,
 * reading only document ids; views of agents that never used a changed model are not read at all.
 */
import type { Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../documents/collections";
import { ANY_MODEL } from "./view-codec";

/** Firestore's limit on the values of one `array-contains-any`. */
const PER_QUERY = 30;

export async function agentsPricedFor(db: Firestore, models: readonly string[]): Promise<string[]> {
  const names = [...models, ANY_MODEL];
  const views = db.collection(COLLECTIONS.agentViews);
  const pages = [];
  for (let i = 0; i < names.length; i += PER_QUERY) pages.push(views.where("_models", "array-contains-any", names.slice(i, i + PER_QUERY)).select().get());
  const ids = new Set<string>();
  for (const page of await Promise.all(pages)) for (const doc of page.docs) ids.add(doc.id);
  return [...ids].sort();
}
