package dev.ferry.sftp.fs;

import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A directory listed page by page as storage's LIST answers it: one page in memory at a time,
 * the next asked for only when the client has read this one.
 */
final class ListingStream implements DirectoryStream<Path> {

  private final FerryPath dir;
  private final Filter<? super Path> filter;
  private boolean iterated;

  ListingStream(FerryPath dir, Filter<? super Path> filter) {
    this.dir = dir;
    this.filter = filter;
  }

  @Override
  public Iterator<Path> iterator() {
    if (iterated) {
      throw new IllegalStateException("a listing is iterated once");
    }
    iterated = true;
    return new Pages();
  }

  @Override
  public void close() {
  }

  private final class Pages implements Iterator<Path> {
    private final Deque<Path> page = new ArrayDeque<>();
    private String after;
    private boolean last;

    @Override
    public boolean hasNext() {
      while (page.isEmpty() && !last) {
        fetch();
      }
      return !page.isEmpty();
    }

    @Override
    public Path next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.removeFirst();
    }

    private void fetch() {
      FerryFileSystem fs = dir.getFileSystem();
      String virtual = fs.virtual(dir);
      JsonObject body = new JsonObject().put(StorageApi.PATH, virtual);
      if (after != null) {
        body.put(StorageApi.AFTER, after);
      }
      try {
        JsonObject answer = fs.calls().storage(StorageApi.LIST, body, dir.toString());
        JsonArray entries = answer.getJsonArray(StorageApi.ENTRIES, new JsonArray());
        String owner = fs.ownerOf(virtual);
        for (int i = 0; i < entries.size(); i++) {
          JsonObject entry = entries.getJsonObject(i);
          String name = entry.getString(StorageApi.NAME);
          String childOwner = virtual.equals("/home") ? name : owner;
          Path child = fs.listedChild(dir, name, StoredEntry.of(entry, childOwner));
          if (filter == null || filter.accept(child)) {
            page.addLast(child);
          }
        }
        after = answer.getString(StorageApi.NEXT);
        last = after == null;
      } catch (IOException e) {
        throw new DirectoryIteratorException(e);
      }
    }
  }
}
