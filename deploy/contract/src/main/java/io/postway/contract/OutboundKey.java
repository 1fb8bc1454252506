package io.postway.contract;

/**
 * The key of a {@code mail.outbound} record, and the share of a destination's connections the jobs
 * under that key may use (deploy/docs/contract.md, "mail.outbound"). A domain whose policy allows
 * more than one connection is split into {@link #slots} slots; each job belongs to one slot, chosen
 * from its job id, and is keyed {@code domain#slot/slots}, so the slots of a hot domain spread over
 * the partitions, and so over the delivery workers, while every job of one slot (and every replay
 * of one job) stays on one partition. A domain allowed one connection keeps the plain domain as key.
 * <p>
 * The fleet-wide rule: the jobs of slot {@code s} may hold at most {@link #share} connections, and
 * the shares of all slots add up to exactly {@code maxConnections}. As one partition is consumed by
 * one worker at a time, and a worker bounds each slot by its share, the whole fleet never holds more
 * than {@code maxConnections} sessions to the destination, however many workers share it.
 */
public final class OutboundKey {

    /** At most this many slots per domain: as many workers as can share one destination. */
    public static final int MAX_SLOTS = 8;

    private OutboundKey() {
    }

    /** A job's slot among {@code slots}: the router keys by it and delivery bounds connections by it. */
    public record Slot(int index, int slots) {

        /** The one slot of a job outside any split: all {@code maxConnections}. */
        public static final Slot WHOLE = new Slot(0, 1);

        public Slot {
            if (slots < 1 || index < 0 || index >= slots) {
                throw new IllegalArgumentException("slot " + index + " of " + slots);
            }
        }

        /** The connections this slot may hold: {@code maxConnections / slots}, the remainder going to the first slots. */
        public int share(int maxConnections) {
            int max = Math.max(1, maxConnections);
            return Math.max(1, max / slots + (index < max % slots ? 1 : 0));
        }

        @Override
        public String toString() {
            return index + "/" + slots;
        }
    }

    /** How many slots a domain is split into: {@code min(maxConnections, MAX_SLOTS)}, at least 1. */
    public static int slots(int maxConnections) {
        return Math.max(1, Math.min(maxConnections, MAX_SLOTS));
    }

    /** The slot of a job: {@code floorMod(jobId.hashCode(), slots)} ({@link String#hashCode} is specified, so stable). */
    public static Slot slotOf(String jobId, int maxConnections) {
        int slots = slots(maxConnections);
        return new Slot(jobId == null ? 0 : Math.floorMod(jobId.hashCode(), slots), slots);
    }

    /** The record key of a job: the domain, or {@code domain#slot/slots} when the domain is split. */
    public static String of(String domain, String jobId, int maxConnections) {
        Slot slot = slotOf(jobId, maxConnections);
        return slot.slots() == 1 ? domain : domain + "#" + slot;
    }

    /** The domain a key names (the part before {@code #}). */
    public static String domainOf(String key) {
        int hash = key.indexOf('#');
        return hash < 0 ? key : key.substring(0, hash);
    }
}
