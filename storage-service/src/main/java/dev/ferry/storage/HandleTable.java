package dev.ferry.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The open transfer handles of one node, bounded (ARCHITECTURE.md: "Bounded everything: [...]
 * handles per node"). A slot is reserved before an open starts its disk work, so opens in
 * progress count too. Only touched on the node's event loop.
 */
final class HandleTable {

  private final int capacity;
  private final Map<String, TransferHandle> handles = new HashMap<>();
  private int reserved;
  private boolean closed;

  HandleTable(int capacity) {
    this.capacity = capacity;
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
   * Fills a reserved slot; answers the new handle's id, a random UUID nobody can guess, or null
   * when the node has stopped meanwhile (the caller closes the handle).
   */
  String add(TransferHandle handle) {
    reserved--;
    if (closed) {
      return null;
    }
    String id = UUID.randomUUID().toString();
    handles.put(id, handle);
    return id;
  }

  TransferHandle get(String id) {
    return id == null ? null : handles.get(id);
  }

  TransferHandle remove(String id) {
    return id == null ? null : handles.remove(id);
  }

  /** Removes and answers the handles idle for longer than {@code idleNanos}. */
  List<TransferHandle> removeIdle(long nowNanos, long idleNanos) {
    List<TransferHandle> idle = new ArrayList<>();
    handles.values().removeIf(handle -> {
      if (handle.isIdle(nowNanos, idleNanos)) {
        idle.add(handle);
        return true;
      }
      return false;
    });
    return idle;
  }

  /** Removes and answers every handle; no handle is added after this (the node stops). */
  List<TransferHandle> removeAll() {
    closed = true;
    List<TransferHandle> all = new ArrayList<>(handles.values());
    handles.clear();
    return all;
  }
}
