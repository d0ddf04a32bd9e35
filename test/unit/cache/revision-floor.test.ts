/** The per-instance memory of the latest revisions that lets the caches refuse a copy that went back. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { RevisionFloor } from "../../../functions/src/cache/revision-floor";

test("the floor only rises with what is seen, per scope and id", () => {
  const floor = new RevisionFloor();
  assert.equal(floor.admits("agent", "a", 1), true, "nothing seen yet: anything is admitted");
  floor.saw("agent", "a", 5);
  floor.saw("agent", "a", 3);
  assert.deepEqual([floor.admits("agent", "a", 4), floor.admits("agent", "a", 5), floor.admits("agent", "a", 6)], [false, true, true]);
  assert.equal(floor.admits("org", "a", 1), true, "another scope with the same id is another view");
  assert.equal(floor.highest("agent", "a"), 5);
});

test("a view rebuilt from source sets the floor to its revision, even lower; an agent gone forgets it", () => {
  const floor = new RevisionFloor();
  floor.saw("agent", "a", 9);
  floor.rebuilt("agent", "a", 4);
  assert.equal(floor.admits("agent", "a", 4), true);
  floor.rebuilt("agent", "a", null);
  assert.equal(floor.highest("agent", "a"), undefined);
});

test("the memory is bounded: the least recently seen view is forgotten first", () => {
  const floor = new RevisionFloor(2);
  floor.saw("agent", "a", 5);
  floor.saw("agent", "b", 5);
  floor.saw("agent", "c", 5);
  assert.deepEqual([floor.highest("agent", "a"), floor.highest("agent", "c")], [undefined, 5]);
});
