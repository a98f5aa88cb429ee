package dev.switchboard.jsonrpc;

/** A well-formed JSON-RPC 2.0 message. */
public sealed interface Message extends Entry permits Request, Notification, Response {}
