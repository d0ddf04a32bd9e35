/**
 * Loaded before every emulator and browser suite (`node --import`, test/harness/run-tests.mjs): every
 * answer `fetch` gets from the API is held to its OpenAPI document (`openapi-check.ts`).
 */
import { checkFetchedAnswers } from "./openapi-check";

checkFetchedAnswers();
