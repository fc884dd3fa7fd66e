package dev.ferry.storage;

import dev.ferry.storage.AccountHandleLeases.Lease;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The open transfer handles of one node, bounded (ARCHITECTURE.md: "Bounded everything: [...]
 * handles per node"). A slot is reserved before an open starts its disk work, so opens in
 * progress count too. Each handle holds its account's lease ({@link AccountHandleLeases}, the
 * bound per account across the cluster), dropped here whichever way the handle leaves. Only
 * touched on the node's event loop.
 */
final class HandleTable {

  private record Entry(TransferHandle handle, Lease lease) {
  }

  private final int capacity;
  private final AccountHandleLeases leases;
  private final Map<String, Entry> handles = new HashMap<>();
  /** The leases of the handles in {@link #handles}. */
  private final Set<Lease> held = new HashSet<>();
  private int reserved;
  private boolean closed;

  HandleTable(int capacity, AccountHandleLeases leases) {
    this.capacity = capacity;
    this.leases = leases;
  }

  /** Takes a slot for an open about to run; false when the node is full. */
  boolean reserve() {
    if (handles.size() + reserved >= capacity) {
      return false;
    }
    reserved++;
    return true;
  }

  /** Gives back a slot whose open failed. */
  void unreserve() {
    reserved--;
  }

  /**
   * Fills a reserved slot with a handle holding {@code lease}; answers the new handle's id, a
   * random UUID nobody can guess, or null when the node has stopped meanwhile (the lease is
   * dropped, the caller closes the handle).
   */
  String add(TransferHandle handle, Lease lease) {
    reserved--;
    if (closed) {
      leases.release(lease);
      return null;
    }
    String id = UUID.randomUUID().toString();
    handles.put(id, new Entry(handle, lease));
    held.add(lease);
    return id;
  }

  TransferHandle get(String id) {
    Entry entry = id == null ? null : handles.get(id);
    return entry == null ? null : entry.handle();
  }

  TransferHandle remove(String id) {
    Entry removed = id == null ? null : handles.remove(id);
    if (removed == null) {
      return null;
    }
    drop(removed.lease());
    return removed.handle();
  }

  /** Removes and answers the handles idle for longer than {@code idleNanos}. */
  List<TransferHandle> removeIdle(long nowNanos, long idleNanos) {
    List<TransferHandle> idle = new ArrayList<>();
    handles.values().removeIf(entry -> {
      if (entry.handle().isIdle(nowNanos, idleNanos)) {
        idle.add(entry.handle());
        drop(entry.lease());
        return true;
      }
      return false;
    });
    return idle;
  }

  /** Removes and answers every handle; no handle is added after this (the node stops). */
  List<TransferHandle> removeAll() {
    closed = true;
    List<TransferHandle> all = new ArrayList<>();
    for (Entry entry : handles.values()) {
      all.add(entry.handle());
      drop(entry.lease());
    }
    handles.clear();
    return all;
  }

  private void drop(Lease lease) {
    held.remove(lease);
    leases.release(lease);
  }

  /** Whether {@code lease} is still held by a handle of this table. */
  boolean holds(Lease lease) {
    return held.contains(lease);
  }

  /** The leases of the open handles, to renew. */
  List<Lease> leases() {
    return List.copyOf(held);
  }
}
