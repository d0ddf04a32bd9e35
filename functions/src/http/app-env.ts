/**
 * @module app-env
 * What the HTTP app is built from, and what each request carries once authenticated. Everything is
 * passed in when the app is built, so tests hand in the emulator-backed stores or fakes alike.
 */
import type { ApiKeyRecord } from "../domain/api-key-policy";
import type { KeyEnvironment } from "../domain/api-key-format";
import type { Keyring } from "../domain/signing";
import type { Logger } from "../config/logger";
import type { ApiKeyStore } from "../store/api-key-store";
import type { AgentViewStore } from "../store/agent-view-store";
import type { DirectoryStore } from "../store/directory-store";
import type { SessionVerifier } from "./auth/session-verifier";

export interface ApiDeps {
  now: () => Date;
  keyring: Keyring;
  /** Secret for keyed hashes of API keys and client IPs. */
  pepper: string;
  keyEnvironment: KeyEnvironment;
  sessions: SessionVerifier;
  apiKeys: ApiKeyStore;
  directory: DirectoryStore;
  agentViews: AgentViewStore;
  log: Logger;
}

export interface Session {
  uid: string;
}

export interface AppEnv {
  Variables: {
    session: Session;
    apiKey: ApiKeyRecord;
  };
}
