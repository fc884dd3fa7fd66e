package dev.ferry.protocol.bus;

/**
 * File transfers between a front door (the Ferry gateway, the SFTP door, any bus caller) and
 * storage (PROTOCOL.md sections 4 and 5). Storage enforces every rule of a transfer itself, for
 * every caller: home confinement, quota, atomic publish and the SHA-256 check; a front door only
 * translates its protocol.
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
 *   <li>{@link #OPEN_WRITE} {dir, name, size?, sha256 ("" when the client gave none), overwrite,
 *       resume?} -> {node, handle, offset, replacing}: replacing = size of the complete file it
 *       would replace (0 if none). Fails NO_PERMISSION, NOT_FOUND (dir missing), BAD_NAME,
 *       IS_A_DIRECTORY (the target is a directory, or dir is a file), ALREADY_EXISTS (a complete
 *       file is there and overwrite is false), BUSY (the target is open for writing elsewhere),
 *       QUOTA_EXCEEDED (below). Two kinds:
 *       <ul>
 *         <li>With {@code size}: an upload of exactly that many bytes. offset = bytes of a
 *             resumable partial upload of the same target, size and sha256 by the same account
 *             (0 for a new one).</li>
 *         <li>Without {@code size}: an upload whose size is known only when it ends (an SFTP
 *             client writes and closes). offset = bytes of the partial upload of unknown size
 *             the same account left at the same target when {@code resume} is true; otherwise
 *             0, and such a partial is started over.</li>
 *       </ul></li>
 * </ul>
 *
 * <p>Quota, for uploads whose target is in a home ({@link dev.ferry.protocol.VirtualPath#ownerOf};
 * files outside every home count against no one): storage itself reserves the room of the
 * owner of the target at quota-service ({@link QuotaApi#RESERVE}, with the opener's token) and
 * holds that reservation while the handle lives: it renews it every third of its lifetime and
 * releases it when the handle ends, after it has reported the change on disk. An upload of known
 * size reserves {@code size - offset} before the open answers, an overwrite too (the file it
 * replaces is credited only when the new one is published); when that does not fit the open
 * fails QUOTA_EXCEEDED carrying the used bytes and the limit ({@link QuotaRefusal}) and no
 * handle stays open. An upload of unknown size reserves as its writes arrive, a step of several
 * MiB at a time and never past the limit; a write the quota cannot cover fails QUOTA_EXCEEDED
 * ({@link QuotaRefusal}) and ends the upload: nothing of that write is stored, its partial data
 * is dropped so nothing stays counted, and the handle is gone (later requests fail
 * NO_SUCH_HANDLE; CLOSE succeeds). No request can write without this: there is no header or
 * field that lifts or sets a limit.
 *
 * <p>Node actions, at the {@link #NODE} address of the open reply:
 * <ul>
 *   <li>{@link #READ} headers {handle, offset, length}, no body -> a Buffer of min(length,
 *       size - offset) bytes. Fails BAD_OFFSET past the end.</li>
 *   <li>{@link #WRITE} headers {handle, offset, sync}, body a Buffer -> {stored}: bytes must
 *       start at the next expected offset (the open's offset plus every byte written since) and,
 *       for an upload of known size, not pass it (else BAD_OFFSET, and nothing is written); a
 *       front door whose clients write out of order puts the bytes in order first. Fails
 *       QUOTA_EXCEEDED as above. With sync "true" the bytes stored so far are forced to disk
 *       before the reply, so an acknowledgement that follows it survives a crash. Writes of one
 *       handle may be sent before the previous ones are answered; the node applies them in
 *       order. The answer, a failure too, comes only once the node is done with the body: the
 *       caller may reuse its memory then.</li>
 *   <li>{@link #FINISH} headers {handle, optional sha256} -> {sha256, size}: checks the SHA-256 of
 *       the whole file against the one the open declared, or else the one this request gives (an
 *       upload whose client sends its checksum after the chunks), if either; forces it to disk and publishes it at its name in one atomic
 *       rename. An upload of known size needs all its bytes (else BAD_OFFSET); one of unknown
 *       size is published as it is, {@code size} being what was written. Fails
 *       CHECKSUM_MISMATCH (the partial is dropped).</li>
 *   <li>{@link #CLOSE} headers {handle} -> {}: ends a read, or stops an upload keeping its
 *       partial data for a later resume. Closing an unknown handle succeeds.</li>
 * </ul>
 * A node closes handles idle for longer than its handle timeout, keeping partial data.
 *
 * <p>Usage: whenever a handle ends (finish, close, a failed finish, a write refused for quota,
 * the idle timeout) and whenever a partial upload expires, storage sends quota-service
 * {@link QuotaApi#ADJUST} with the change on disk for the account
 * {@link dev.ferry.protocol.VirtualPath#ownerOf} the target (partial bytes added or dropped, the
 * file published, the file it replaced), before it answers and before it releases the
 * reservation.
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
  public static final String RESUME = "resume";

  private TransferApi() {
  }
}
