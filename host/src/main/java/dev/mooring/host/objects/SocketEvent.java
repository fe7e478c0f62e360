package dev.mooring.host.objects;

/** A message, close or error of a hibernatable WebSocket, for the object's handlers. */
record SocketEvent(WebSocketEnd end, WebSocketEnd.Event event) implements ActorEvent {}
