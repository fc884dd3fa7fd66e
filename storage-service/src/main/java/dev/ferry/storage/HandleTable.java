package dev.ferry.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The open transfer handles of one node, bounded (ARCHITECTURE.md: "Bounded everything: [...]
 * handles per node"), and bounded per account too, so that one account cannot take every slot
 * of a node. A slot is reserved before an open starts its disk work, so opens in progress count
 * too. Only touched on the node's event loop.
 */
final class HandleTable {

  private final int capacity;
  private final int perAccount;
  private final Map<String, TransferHandle> handles = new HashMap<>();
  /** Slots held (reserved or filled) by each account that holds any. */
  private final Map<String, Integer> held = new HashMap<>();
  private int reserved;
  private boolean closed;

  HandleTable(int capacity, int perAccount) {
    this.capacity = capacity;
    this.perAccount = perAccount;
  }

  /** Takes a slot of {@code account} for an open about to run; false when the node or the account is full. */
  boolean reserve(String account) {
    if (handles.size() + reserved >= capacity || held.getOrDefault(account, 0) >= perAccount) {
      return false;
    }
    reserved++;
    held.merge(account, 1, Integer::sum);
    return true;
  }

  /** Gives back a slot of {@code account} whose open failed. */
  void unreserve(String account) {
    reserved--;
    free(account);
  }

  private void free(String account) {
    held.computeIfPresent(account, (a, count) -> count > 1 ? count - 1 : null);
  }

  /**
   * Fills a reserved slot; answers the new handle's id, a random UUID nobody can guess, or null
   * when the node has stopped meanwhile (the caller closes the handle).
   */
  String add(TransferHandle handle) {
    reserved--;
    if (closed) {
      free(handle.owner().account());
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
    TransferHandle removed = id == null ? null : handles.remove(id);
    if (removed != null) {
      free(removed.owner().account());
    }
    return removed;
  }

  /** Removes and answers the handles idle for longer than {@code idleNanos}. */
  List<TransferHandle> removeIdle(long nowNanos, long idleNanos) {
    List<TransferHandle> idle = new ArrayList<>();
    handles.values().removeIf(handle -> {
      if (handle.isIdle(nowNanos, idleNanos)) {
        idle.add(handle);
        free(handle.owner().account());
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
    held.clear();
    return all;
  }
}
