package dev.mooring.host.objects;

/** An event for an object's mailbox: a request, an event of one of its hibernatable WebSockets, or its alarm. */
sealed interface ActorEvent permits FetchEvent, SocketEvent, AlarmEvent {}
