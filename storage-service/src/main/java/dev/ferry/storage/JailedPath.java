package dev.ferry.storage;

import java.nio.file.Path;

/**
 * A path that passed {@link HomeJail}: its normalised virtual form and where it lives on disk.
 * The real path is never sent to a client (PROTOCOL.md section 2).
 */
public record JailedPath(String path, Path real) {
}
