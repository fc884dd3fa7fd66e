package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import dev.ferry.client.UsageException;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code get} and {@code put}: options anywhere (until {@code --}), then the
 * operands. As with {@code cp}, when there is more than one operand the last is the
 * destination: {@code get REMOTE... [LOCAL]}, {@code put LOCAL... [REMOTE_DIR]}.
 *
 * <p>Options: {@code -r}/{@code --recursive}, {@code -f}/{@code --overwrite} (put only),
 * {@code -q}/{@code --quiet}, {@code --retries N}, {@code -j N}/{@code --jobs N}; short flags
 * combine ({@code -rf}).
 *
 * @param recursive whether directories are copied with what they hold
 * @param overwrite whether {@code put} replaces files that exist ({@code *overwrite})
 * @param quiet     whether progress is hidden
 * @param retries   how many times a lost connection is re-opened before giving up
 * @param jobs      how many files of several, or of a tree, may move at once, each on its own connection
 * @param operands  what remains, in order
 */
public record TransferArguments(boolean recursive, boolean overwrite, boolean quiet, int retries, int jobs,
                                List<String> operands) {

  public static final int DEFAULT_RETRIES = 5;
  /** Files at once by default: enough to hide a round trip per small file, few enough for any server's limits. */
  public static final int DEFAULT_JOBS = 4;
  /** More connections than this only compete with each other (and for the server's sessions per account). */
  public static final int MAX_JOBS = 16;
  /** More would only hide a server that is gone for good. */
  public static final int MAX_RETRIES = 100;

  private static final String END_OF_OPTIONS = "--";
  private static final String RETRIES = "--retries";
  private static final String JOBS = "--jobs";

  public TransferArguments {
    operands = List.copyOf(operands);
  }

  /**
   * @param upload whether this is {@code put} (which alone takes {@code -f})
   * @throws UsageException for an unknown option, a bad retry count or no operand
   */
  public static TransferArguments parse(List<String> args, boolean upload) throws UsageException {
    boolean recursive = false;
    boolean overwrite = false;
    boolean quiet = false;
    int retries = DEFAULT_RETRIES;
    int jobs = DEFAULT_JOBS;
    List<String> operands = new ArrayList<>();
    boolean options = true;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!options || arg.equals("-") || !arg.startsWith("-")) {
        operands.add(arg);
      } else if (arg.equals(END_OF_OPTIONS)) {
        options = false;
      } else if (arg.equals(RETRIES)) {
        if (i + 1 >= args.size()) {
          throw new UsageException("transfer.bad-retries", "");
        }
        retries = retries(args.get(++i));
      } else if (arg.startsWith(RETRIES + "=")) {
        retries = retries(arg.substring(RETRIES.length() + 1));
      } else if (arg.equals(JOBS) || arg.equals("-j")) {
        if (i + 1 >= args.size()) {
          throw new UsageException("transfer.bad-jobs", "");
        }
        jobs = jobs(args.get(++i));
      } else if (arg.startsWith(JOBS + "=")) {
        jobs = jobs(arg.substring(JOBS.length() + 1));
      } else if (arg.startsWith("-j") && !arg.startsWith("--")) {
        // -j8, as make takes it
        jobs = jobs(arg.substring(2));
      } else if (arg.equals("--recursive")) {
        recursive = true;
      } else if (arg.equals("--quiet")) {
        quiet = true;
      } else if (arg.equals("--overwrite") && upload) {
        overwrite = true;
      } else if (!arg.startsWith("--")) {
        for (char flag : arg.substring(1).toCharArray()) {
          switch (flag) {
            case 'r' -> recursive = true;
            case 'q' -> quiet = true;
            case 'f' -> {
              if (!upload) {
                throw new UsageException("transfer.bad-option", arg);
              }
              overwrite = true;
            }
            default -> throw new UsageException("transfer.bad-option", arg);
          }
        }
      } else {
        throw new UsageException("transfer.bad-option", arg);
      }
    }
    if (operands.isEmpty()) {
      throw new UsageException("usage.command", new Messages.Ref(upload ? "command.put.usage" : "command.get.usage"));
    }
    return new TransferArguments(recursive, overwrite, quiet, retries, jobs, operands);
  }

  private static int jobs(String text) throws UsageException {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_JOBS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("transfer.bad-jobs", text);
  }

  private static int retries(String text) throws UsageException {
    try {
      int n = Integer.parseInt(text);
      if (n >= 0 && n <= MAX_RETRIES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("transfer.bad-retries", text);
  }

  /** The sources: every operand but the last when there are several. */
  public List<String> sources() {
    return operands.size() == 1 ? operands : operands.subList(0, operands.size() - 1);
  }

  /** The destination: the last operand when there are several, else empty (the working directory). */
  public String destination() {
    return operands.size() == 1 ? "" : operands.get(operands.size() - 1);
  }

  /** The same options with other operands: what a one-shot command hands to the shell form. */
  public List<String> withOperands(List<String> newOperands) {
    List<String> args = new ArrayList<>();
    if (recursive) {
      args.add("-r");
    }
    if (overwrite) {
      args.add("-f");
    }
    if (quiet) {
      args.add("-q");
    }
    args.add(RETRIES);
    args.add(Integer.toString(retries));
    args.add(JOBS);
    args.add(Integer.toString(jobs));
    args.add(END_OF_OPTIONS);
    args.addAll(newOperands);
    return args;
  }
}
