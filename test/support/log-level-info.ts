// Imported first by the tests that read the functions' log lines: the tests' environment silences the logger, which
// takes its level when it is loaded, and resets it to that level at every invocation (so a later setLogLevel is undone).
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
