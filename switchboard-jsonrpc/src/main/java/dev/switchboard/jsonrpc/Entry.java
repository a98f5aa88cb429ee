package dev.switchboard.jsonrpc;

/**
 * One element of what arrived: a well-formed {@link Message}, an {@link Invalid} request that must
 * be answered with an error, or a {@link Discarded} element that is dropped without a reply (a
 * malformed response: answering it could start an endless error ping-pong between two peers).
 */
public sealed interface Entry permits Message, Invalid, Discarded {}
