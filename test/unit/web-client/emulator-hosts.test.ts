/**
 * @module emulator-hosts.test
 * The page finds the Auth and Firestore emulators in the Hosting emulator's init script, whatever
 * their ports, and finds none in the script deployed Hosting serves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emulatorHostsFrom } from "../../../web-client/src/firebase/emulator-hosts";

// The shape firebase-tools 14 writes (templates/hosting/init.js with JSON.stringify(emulators, null, 2)).
const EMULATED = `if (typeof firebase === 'undefined') throw new Error('hosting/init-error');
var firebaseConfig = undefined;
if (firebaseConfig) {
  firebase.initializeApp(firebaseConfig);

  var firebaseEmulators = {
  "auth": {
    "host": "127.0.0.1",
    "port": 6301,
    "hostAndPort": "127.0.0.1:6301"
  },
  "firestore": {
    "host": "127.0.0.1",
    "port": 6302,
    "hostAndPort": "127.0.0.1:6302"
  }
};
  if (firebaseEmulators) {}
}`;

describe("emulatorHostsFrom", () => {
  it("reads the Auth and Firestore emulators' hosts and ports", () => {
    assert.deepEqual(emulatorHostsFrom(EMULATED), { auth: "127.0.0.1:6301", firestore: { host: "127.0.0.1", port: 6302 } });
  });

  it("finds none in deployed Hosting's script or in anything else", () => {
    assert.deepEqual(emulatorHostsFrom("var firebaseConfig = {};\nvar firebaseEmulators = undefined;"), {});
    assert.deepEqual(emulatorHostsFrom("<html>not found</html>"), {});
    assert.deepEqual(emulatorHostsFrom("var firebaseEmulators = {\n  broken\n};"), {});
  });
});
