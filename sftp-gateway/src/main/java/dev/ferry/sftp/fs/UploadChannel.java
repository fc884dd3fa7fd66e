package dev.ferry.sftp.fs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.util.Set;

/** A file open for writing: storage's upload handle. */
final class UploadChannel {

  private UploadChannel() {
  }

  static SeekableByteChannel open(FerryPath file, Set<? extends OpenOption> options) throws IOException {
    throw new UnsupportedOperationException("uploads are not offered yet");
  }
}
