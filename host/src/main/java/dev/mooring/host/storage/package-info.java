/**
 * LMDB-backed storage for Durable Object {@code state.storage}.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.mooring.host.storage.LmdbStore}: one LMDB environment per host, with a
 *       {@code kv} database for object data and a {@code meta} database for namespace records.
 *       It allocates namespace ids and hands out object storages.
 *   <li>{@link dev.mooring.host.storage.ObjectStorage}: one per live object, confined to the
 *       object's event-loop thread. Reads and writes are synchronous with read-your-writes, and the
 *       writes of a turn are coalesced into one {@link dev.mooring.host.storage.WriteBatch}.
 *   <li>{@link dev.mooring.host.storage.CommitWriter}: the one thread that writes to LMDB. It
 *       commits queued batches of all objects together (group commit) with full durability, and
 *       completes each batch's future afterwards. That completion is what the output gate waits
 *       for.
 * </ul>
 *
 * <h2>Flow of a write</h2>
 * {@code put} records the write in the object's overlay, where its own reads see it at once. At
 * the end of the turn the owner calls {@code commitPending}, which moves the turn's writes into an
 * immutable batch and queues it. The writer applies it with other batches in one transaction and
 * fsyncs. Then the batch's future completes on the owner's thread. There the now-durable writes
 * leave the overlay, and the owner releases the outputs it held for them. A failed batch breaks
 * only its own object.
 *
 * <h2>Key layout</h2>
 * {@code [namespace id: 4][object id: 32][kind: 1][user key]}, with long user keys grouped into
 * buckets so that they fit LMDB's 511-byte key limit without changing their order. The design
 * note is on {@code KeyLayout}.
 */
package dev.mooring.host.storage;
