package dev.ferry.protocol.bus;

/**
 * Requests to storage-service at {@link Addresses#STORAGE}. Paths are virtual, absolute and
 * normalised by the caller, and storage checks them again against the token's principal:
 * outside the home fails NO_PERMISSION whether or not it exists. Every action needs a token.
 *
 * <ul>
 *   <li>{@link #LIST} {path, after?} -> {entries: [{name, type: "dir"|"file", size, mtime}], next?},
 *       directories first then by name; a file lists itself; fails NO_PERMISSION, NOT_FOUND,
 *       BAD_REQUEST (an {@code after} no page answered). One page: as many entries as fit in an
 *       answer's header (its entries' JSON, quoted once more, at most 48 KiB) starting after the
 *       cursor {@code after}; {@code next}, there when more remain, is the cursor of the page
 *       after this one.</li>
 *   <li>{@link #STAT} {path} -> {type, size, mtime}; fails NO_PERMISSION, NOT_FOUND</li>
 *   <li>{@link #MKDIR} {path} -> {}; fails NO_PERMISSION, NOT_FOUND (parent), ALREADY_EXISTS, BAD_NAME</li>
 *   <li>{@link #RM} {path} -> {size: bytes freed}; a file or an empty directory; fails NO_PERMISSION,
 *       NOT_FOUND, NOT_EMPTY</li>
 *   <li>{@link #RENAME} {from, to} -> {}; fails NO_PERMISSION, NOT_FOUND, ALREADY_EXISTS, BAD_NAME</li>
 *   <li>{@link #CHECKSUM} {path} -> {size, sha256}; fails NO_PERMISSION, NOT_FOUND, IS_A_DIRECTORY</li>
 *   <li>{@link #CREATE_HOME} {account} -> {} (admin): creates {@code /home/<account>} if missing</li>
 *   <li>{@link #PURGE_HOME} {account} -> {} (admin): deletes {@code /home/<account>} and all below</li>
 *   <li>{@link #USAGE} {account} -> {bytes}: bytes of the account's home (admin or self)</li>
 * </ul>
 *
 * <p>Usage: after RM, RENAME (across homes: {@code to}'s owner gains what {@code from}'s loses),
 * and every transfer change (see {@link TransferApi}), storage sends quota-service
 * {@link QuotaApi#ADJUST} for the account {@link dev.ferry.protocol.VirtualPath#ownerOf} each
 * changed path, before it answers; a failed ADJUST is logged and does not fail the request (the
 * disk changed; an admin {@code recount} repairs the number). USAGE counts the files under the
 * home and the partial uploads whose target is under it, whoever uploads them.
 */
public final class StorageApi {
  public static final String LIST = "list";
  public static final String STAT = "stat";
  public static final String MKDIR = "mkdir";
  public static final String RM = "rm";
  public static final String RENAME = "rename";
  public static final String CHECKSUM = "checksum";
  public static final String CREATE_HOME = "createHome";
  public static final String PURGE_HOME = "purgeHome";
  public static final String USAGE = "usage";

  public static final String PATH = "path";
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String ENTRIES = "entries";
  public static final String AFTER = "after";
  public static final String NEXT = "next";
  public static final String NAME = "name";
  public static final String TYPE = "type";
  public static final String SIZE = "size";
  public static final String MTIME = "mtime";
  public static final String SHA256 = "sha256";
  public static final String ACCOUNT = "account";
  public static final String BYTES = "bytes";

  public static final String TYPE_DIR = "dir";
  public static final String TYPE_FILE = "file";

  private StorageApi() {
  }
}
