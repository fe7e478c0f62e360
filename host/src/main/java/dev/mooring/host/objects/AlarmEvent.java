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
        /** Reports that the handler returned, or that the class has no alarm() handler ({@code handled} false). */
        void succeeded(boolean handled);

        /** Reports that the handler threw, the constructor threw, or the object was reset, as {@code reason} describes. */
        void failed(String reason);

        /** Reports that the run failed and the object requested that it not run again. */
        void abandoned(String reason);
    }
}
