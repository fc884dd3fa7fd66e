package dev.ferry.protocol.bus;

/**
 * File transfers between the gateway and storage (PROTOCOL.md sections 4 and 5).
 *
 * <p>A transfer is opened on {@link Addresses#STORAGE} (any node, JSON bodies through
 * {@link BusService}); the reply names the node that holds the handle ({@link #NODE}, an
 * event-bus address), and every later request of that transfer goes to that address. Node
 * requests carry the session token in {@link BusService#TOKEN_HEADER}, the action in
 * {@link BusService#ACTION_HEADER}, and their parameters in the headers named here; the node
 * checks the token and that the handle belongs to the token's account.
 *
 * <p>Open actions on {@link Addresses#STORAGE}:
 * <ul>
 *   <li>{@link #OPEN_READ} {path} -> {node, handle, size, sha256}: the file as it is now; a later
 *       overwrite does not change what this handle reads or the checksum it reported. Fails
 *       NO_PERMISSION, NOT_FOUND, IS_A_DIRECTORY.</li>
 *   <li>{@link #OPEN_WRITE} {dir, name, size, sha256 ("" when the client gave none), overwrite}
 *       -> {node, handle, offset, replacing}: offset = bytes of a resumable partial upload of the
 *       same target, size and sha256 (0 for a new one); replacing = size of the complete file it
 *       would replace (0 if none). Fails NO_PERMISSION, NOT_FOUND (dir missing), BAD_NAME,
 *       IS_A_DIRECTORY (the target is a directory, or dir is a file), ALREADY_EXISTS (a complete
 *       file is there and overwrite is false), BUSY (the target is open for writing elsewhere).</li>
 * </ul>
 *
 * <p>Node actions, at the {@link #NODE} address of the open reply:
 * <ul>
 *   <li>{@link #READ} headers {handle, offset, length}, no body -> a Buffer of min(length,
 *       size - offset) bytes. Fails BAD_OFFSET past the end.</li>
 *   <li>{@link #WRITE} headers {handle, offset, sync, reserved}, body a Buffer -> {stored}: bytes
 *       must start at the next expected offset and not pass the declared size (else BAD_OFFSET,
 *       and nothing is written). {@code reserved} is the quota reservation of the upload (absent:
 *       no quota applies, as for files outside every home): when the bytes stored since the open
 *       plus this chunk would pass it (the file replaced is credited only when the upload
 *       publishes, so it does not count here) the write fails QUOTA_EXCEEDED and
 *       nothing is written. With sync "true" the bytes stored so far are forced to disk before
 *       the reply, so an acknowledgement that follows it survives a crash. Writes of one handle
 *       may be sent before the previous ones are answered; the node applies them in order. The
 *       answer, a failure too, comes only once the node is done with the body: the gateway
 *       reuses its memory then.</li>
 *   <li>{@link #FINISH} headers {handle} -> {sha256}: all bytes stored; checks the SHA-256 of
 *       the whole file, forces it to disk and publishes it at its name in one atomic rename.
 *       Fails CHECKSUM_MISMATCH (the partial is dropped) or BAD_OFFSET (bytes missing).</li>
 *   <li>{@link #CLOSE} headers {handle} -> {}: ends a read, or stops an upload keeping its
 *       partial data for a later resume. Closing an unknown handle succeeds.</li>
 * </ul>
 * A node closes handles idle for longer than its handle timeout, keeping partial data.
 *
 * <p>Usage: whenever a handle ends (finish, close, a failed finish, the idle timeout) and
 * whenever a partial upload expires, storage sends quota-service {@link QuotaApi#ADJUST} with
 * the change on disk for the account {@link dev.ferry.protocol.VirtualPath#ownerOf} the target
 * (partial bytes added or dropped, the file published, the file it replaced), before it answers.
 */
public final class TransferApi {
  public static final String OPEN_READ = "openRead";
  public static final String OPEN_WRITE = "openWrite";
  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String FINISH = "finish";
  public static final String CLOSE = "close";

  public static final String PATH = "path";
  public static final String DIR = "dir";
  public static final String NAME = "name";
  public static final String SIZE = "size";
  public static final String SHA256 = "sha256";
  public static final String OVERWRITE = "overwrite";
  public static final String NODE = "node";
  public static final String HANDLE = "handle";
  public static final String OFFSET = "offset";
  public static final String LENGTH = "length";
  public static final String SYNC = "sync";
  public static final String STORED = "stored";
  public static final String REPLACING = "replacing";
  public static final String RESERVED = "reserved";

  private TransferApi() {
  }
}
