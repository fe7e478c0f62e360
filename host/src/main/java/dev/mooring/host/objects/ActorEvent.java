package dev.mooring.host.objects;

/** An event for an object's mailbox: a request, or an event of one of its hibernatable WebSockets. */
sealed interface ActorEvent permits FetchEvent, SocketEvent {}
