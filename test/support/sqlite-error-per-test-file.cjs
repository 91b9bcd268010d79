/**
 * better-sqlite3 hands its SqliteError class to the native addon once per process. Jest runs many test
 * files in one process, each in a fresh module registry and context, so from the second file on the addon
 * would build SQLite errors from a previous file's torn-down class, and they vanish: a refused UPDATE
 * looks like it succeeded. Re-register the class of this file's registry before each test file.
 */
const addon = require('better-sqlite3/build/Release/better_sqlite3.node');
addon.setErrorConstructor(require('better-sqlite3/lib/sqlite-error'));
addon.isInitialized = true;
