/**
 * The command key of the test suites (a fixed, public value: it vouches for nothing outside tests). Workers
 * under test verify with it, and every Temporal client and API the tests start signs with it, as the
 * real API does with AIMS_COMMAND_KEYS.
 */
import { parseCommandKeys } from '../../infra/signing/command-keys';
import { commandSigningInterceptor } from '../../infra/temporal/command-signing';

export const TEST_COMMAND_KEYS_TEXT = 'test-1:LCkF7J6J6lFUPTW9-ZeQtkw0HbBk5cZ_FU8DikDrkZ0';
export const TEST_COMMAND_KEYS = parseCommandKeys(TEST_COMMAND_KEYS_TEXT);
export const TEST_SIGNING = commandSigningInterceptor(TEST_COMMAND_KEYS);
