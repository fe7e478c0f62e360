package dev.mooring.host.objects;

/**
 * A due alarm for an object's mailbox. The object reports the end of the run to {@code outcome}
 * once, on its loop: when the handler settles, when the constructor fails, or when it is reset.
 *
 * @param scheduledTime the time the alarm was set for, in ms since the epoch
 * @param retryCount how many earlier runs of this alarm failed
 */
record AlarmEvent(long scheduledTime, int retryCount, Outcome outcome) implements ActorEvent {

    /** The end of one run of an alarm. */
    interface Outcome {
        /** The handler returned, or the class has no alarm() handler ({@code handled} false). */
        void succeeded(boolean handled);

        /** The handler threw, the constructor threw, or the object was reset, as {@code reason} describes. */
        void failed(String reason);

        /** The run failed and the object asked not to run it again. */
        void abandoned(String reason);
    }
}
