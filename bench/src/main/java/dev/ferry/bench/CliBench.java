package dev.ferry.bench;

import dev.ferry.bench.ChildProcess.Sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run cli}: the real {@code bin/ferry} launcher, a separate process and a fresh JVM
 * per command as a user runs it, against real ferry-server processes, beside curl against a plain
 * local server ({@link Reference}) in the same run. Transfers are the median of a few rounds, the
 * cases of a round interleaved so that a noisy neighbour slows all of them alike; every file that
 * comes back is checked against its SHA-256 (a get follows each put of the same file, so that
 * checks the put too). Files are put as never sent before, and the large one also re-sent
 * unchanged, when bin/ferry may use the checksum it kept.
 */
final class CliBench {

  /** What {@code bench/run cli} measures; from {@link Bench}'s options. */
  record Settings(Path serverJar, Path ferry, List<String> serverJvm, Map<String, String> serverEnv, long bigMiB, int files,
                  int fileMiB, int jobs, int commands, int rounds, boolean plain, String reference) {
  }

  private static final String PASSWORD = "bench-pass-0";
  private static final String HOME = "/home/u0";
  private static final String MANY = "many";
  private static final long MIB = 1L << 20;

  private final Settings settings;
  private final CliResults results = new CliResults();
  private Path work;
  private ChildProcess child;
  /** The environment of every bin/ferry command: the password, and a config directory of the run's own. */
  private final Map<String, String> ferryEnv = new HashMap<>();

  CliBench(Settings settings) {
    this.settings = settings;
  }

  /** The ferry server a command goes to, and how. */
  private record Target(int port, boolean tls) {
    String at(String path) {
      return "u0@127.0.0.1:" + port + (path.isEmpty() ? "" : ":" + path);
    }
  }

  void run(Path work) throws Exception {
    this.work = work;
    child = new ChildProcess(work);
    Path files = Files.createDirectory(work.resolve("files"));
    long big = settings.bigMiB() * MIB;
    Path bigFile = Transfers.randomFile(files, "big.bin", big);
    String bigSha = Transfers.sha256(bigFile);
    Path many = Files.createDirectory(files.resolve(MANY));
    Map<String, String> manyShas = new LinkedHashMap<>();
    for (int i = 0; i < settings.files(); i++) {
      Path file = Transfers.randomFile(many, String.format("m%03d.bin", i), settings.fileMiB() * MIB, i);
      manyShas.put(file.getFileName().toString(), Transfers.sha256(file));
    }
    System.getenv().keySet().stream().filter(k -> k.startsWith("FERRY_")).forEach(k -> ferryEnv.put(k, null));
    ferryEnv.put("FERRY_PASSWORD", PASSWORD);
    ferryEnv.put("FERRY_CONFIG_DIR", Files.createDirectory(work.resolve("ferry-config")).toString());
    ferryEnv.put("HOME", Files.createDirectory(work.resolve("home")).toString());
    System.out.printf("cli: %s, one process per command; JAVA_OPTS %s%n", settings.ferry(),
      System.getenv().getOrDefault("JAVA_OPTS", "unset"));
    try (Reference reference = Reference.start(settings.reference(), work.resolve("reference"));
         Reference tlsReference = tlsReference(reference);
         ServerUnderTest tlsServer = server("tls", Map.of());
         ServerUnderTest plainServer = settings.plain() ? server("plain", Map.of("FERRY_TLS", "false")) : null) {
      System.out.println("cli: reference: " + reference.description() + ", " + curlVersion());
      Target tls = new Target(tlsServer.port, true);
      Target plain = plainServer == null ? null : new Target(plainServer.port, false);
      Bench.addUsers(tlsServer, 1);
      firstContact(tls);
      if (plainServer != null) {
        Bench.addUsers(plainServer, 1, false);
        firstContact(plain);
      }
      Files.createDirectory(reference.root().resolve(MANY));
      String noJobs = jobsMissing(tls, many.resolve(manyShas.keySet().iterator().next()));
      if (noJobs != null) {
        System.out.println("cli: " + settings.files() + " files with -j " + settings.jobs() + " skipped: " + noJobs);
      }
      Map<String, List<Sample>> samples = new LinkedHashMap<>();
      for (int round = 0; round <= settings.rounds(); round++) {
        // Round 0 is not counted: servers and caches warm, as after a while in use.
        Map<String, List<Sample>> into = round == 0 ? new HashMap<>() : samples;
        String label = round == 0 ? "warm-up round" : "round " + round + "/" + settings.rounds();
        bigRound(label, into, reference, tlsReference, tls, plain, bigFile, bigSha);
        if (noJobs == null && round > 0) {
          manyRound(label, into, reference, tls, many, manyShas);
        }
      }
      String bigName = settings.bigMiB() % 1024 == 0 ? settings.bigMiB() / 1024 + " GiB" : settings.bigMiB() + " MiB";
      for (String way : List.of("put", "get")) {
        results.transfer(way + " " + bigName + " (TLS)", big, samples.get(way + " tls"), samples.get(way + " reference"));
        if (tlsReference != null) {
          // The same transfer against a reference that encrypts too, and what encrypting costs the reference itself.
          results.transfer(way + " " + bigName + " (TLS) vs FTP over TLS", big, samples.get(way + " tls"),
            samples.get(way + " reference tls"));
          results.transfer("reference " + way + ": FTP over TLS vs plain", big, samples.get(way + " reference tls"),
            samples.get(way + " reference"));
        }
        if (way.equals("put")) {
          results.transfer("put " + bigName + " again (TLS, checksum kept)", big, samples.get("put tls again"),
            samples.get("put reference"));
          // An upload is acknowledged and published only once on disk: the floor is the disk's.
          results.transfer("put " + bigName + " (TLS) vs dd conv=fdatasync", big, samples.get("put tls"),
            samples.get("durable copy"));
        }
        if (plain != null) {
          results.transfer(way + " " + bigName + " (--no-tls)", big, samples.get(way + " plain"), samples.get(way + " reference"));
        }
      }
      String manyName = settings.files() + " x " + settings.fileMiB() + " MiB -j " + settings.jobs();
      for (String way : List.of("put", "get")) {
        if (noJobs == null) {
          results.transfer(way + " " + manyName + " (TLS)", settings.files() * settings.fileMiB() * MIB,
            samples.get(way + " many tls"), samples.get(way + " many reference"));
        } else {
          results.skipped(way + " " + manyName, "bin/ferry has no -j");
        }
      }
      commands(reference, tls);
    }
    System.out.print(results.table());
  }

  /** One put then get of the big file by curl and by bin/ferry with TLS and without, each verified. */
  private void bigRound(String label, Map<String, List<Sample>> into, Reference reference, Reference tlsReference,
                        Target tls, Target plain, Path bigFile, String sha) throws Exception {
    long bytes = Files.size(bigFile);
    Path durable = work.resolve("durable.bin");
    measure(label, into, "durable copy", bytes,
      List.of("dd", "if=" + bigFile, "of=" + durable, "bs=1M", "conv=fdatasync", "status=none"));
    Files.delete(durable);
    long freshened = freshen(bigFile);
    measure(label, into, "put reference", bytes, curl(reference, "-T", bigFile.toString(), reference.url("big.bin")));
    if (tlsReference != null) {
      measure(label, into, "put reference tls", bytes,
        curl(tlsReference, "-T", bigFile.toString(), tlsReference.url("big.bin")));
    }
    List<String> put = ferry(tls, "put", "-q", "-f", bigFile.toString(), tls.at(HOME));
    // bin/ferry keeps the checksum only of a file unchanged for 2 s before it was read: the next
    // put uses it only if this one began later than that.
    long unsettled = freshened + TimeUnit.MILLISECONDS.toNanos(2_500) - System.nanoTime();
    if (unsettled > 0) {
      TimeUnit.NANOSECONDS.sleep(unsettled);
    }
    measure(label, into, "put tls", bytes, put);
    measure(label, into, "put tls again", bytes, put);
    if (plain != null) {
      freshen(bigFile);
      measure(label, into, "put plain", bytes, ferry(plain, "put", "-q", "-f", bigFile.toString(), plain.at(HOME)));
    }
    Path back = work.resolve("back.bin");
    measure(label, into, "get reference", bytes, curl(reference, "-o", back.toString(), reference.url("big.bin")));
    verify(back, sha);
    if (tlsReference != null) {
      measure(label, into, "get reference tls", bytes,
        curl(tlsReference, "-o", back.toString(), tlsReference.url("big.bin")));
      verify(back, sha);
    }
    measure(label, into, "get tls", bytes, ferry(tls, "get", "-q", tls.at(HOME + "/big.bin"), back.toString()));
    verify(back, sha);
    if (plain != null) {
      measure(label, into, "get plain", bytes, ferry(plain, "get", "-q", plain.at(HOME + "/big.bin"), back.toString()));
      verify(back, sha);
    }
  }

  /** The many files up then down with {@code -j}, by curl --parallel and by bin/ferry, each verified. */
  private void manyRound(String label, Map<String, List<Sample>> into, Reference reference, Target tls, Path many,
                         Map<String, String> shas) throws Exception {
    long bytes = shas.size() * settings.fileMiB() * MIB;
    String jobs = Integer.toString(settings.jobs());
    List<String> curlPut = new ArrayList<>(List.of("--parallel", "--parallel-max", jobs));
    List<String> ferryPut = new ArrayList<>(List.of("put", "-q", "-f", "-j", jobs));
    List<String> curlGet = new ArrayList<>(curlPut);
    List<String> ferryGet = new ArrayList<>(List.of("get", "-q", "-j", jobs));
    Path back = work.resolve("back-many");
    for (String name : shas.keySet()) {
      curlPut.addAll(List.of("-T", many.resolve(name).toString(), reference.url(MANY + "/" + name)));
      ferryPut.add(many.resolve(name).toString());
      curlGet.addAll(List.of("-o", back.resolve(name).toString(), reference.url(MANY + "/" + name)));
      ferryGet.add(tls.at(HOME + "/" + MANY + "/" + name));
    }
    ferryPut.add(tls.at(HOME + "/" + MANY));
    ferryGet.add(back.toString());
    measure(label, into, "put many reference", bytes, curl(reference, curlPut.toArray(String[]::new)));
    for (String name : shas.keySet()) {
      freshen(many.resolve(name));
    }
    measure(label, into, "put many tls", bytes, ferry(tls, ferryPut.toArray(String[]::new)));
    for (String who : List.of("reference", "tls")) {
      Files.createDirectory(back);
      measure(label, into, "get many " + who, bytes, who.equals("reference") ? curl(reference, curlGet.toArray(String[]::new))
        : ferry(tls, ferryGet.toArray(String[]::new)));
      for (Map.Entry<String, String> file : shas.entrySet()) {
        verify(back.resolve(file.getKey()), file.getValue());
      }
      Files.delete(back);
    }
  }

  /**
   * {@link Settings#commands()} one-shot {@code bin/ferry ls} of the home, each a new JVM, TLS
   * connection and login, against the server with its credential cache on (the default) and one
   * with it off, beside as many one-shot curl fetches; the three interleaved, command by command.
   */
  private void commands(Reference reference, Target cacheOn) throws Exception {
    try (ServerUnderTest offServer = server("cache-off", Map.of("FERRY_CREDENTIAL_CACHE_SECONDS", "0"))) {
      Bench.addUsers(offServer, 1);
      Target cacheOff = new Target(offServer.port, true);
      firstContact(cacheOff);
      List<String> curl = curl(reference, "-o", "/dev/null", reference.smallFetchUrl());
      List<Sample> curls = new ArrayList<>();
      List<Sample> on = new ArrayList<>();
      List<Sample> off = new ArrayList<>();
      for (int i = 0; i < settings.commands(); i++) {
        curls.add(run(curl));
        on.add(run(ferry(cacheOn, "ls", cacheOn.at(""))));
        off.add(run(ferry(cacheOff, "ls", cacheOff.at(""))));
        if ((i + 1) % 50 == 0) {
          System.err.printf("cli: %d of %d commands of each done%n", i + 1, settings.commands());
        }
      }
      System.out.printf("cli: %d sequential one-shot commands each: bin/ferry ls %.2f/s with the credential cache on, "
          + "%.2f/s off (on: %.2f times off); %s %.1f/s%n", settings.commands(), CliResults.perSecond(on),
        CliResults.perSecond(off), CliResults.perSecond(on) / CliResults.perSecond(off), reference.smallFetchDescription(),
        CliResults.perSecond(curls));
      results.commands(settings.commands() + " x ls, cache on", on, curls);
      results.commands(settings.commands() + " x ls, cache off", off, curls);
    }
  }

  /** Times one command after touching as much page cache as it writes (see {@link Transfers#touchPageCache}). */
  private void measure(String label, Map<String, List<Sample>> into, String key, long bytes, List<String> command)
    throws Exception {
    Transfers.touchPageCache(work, bytes);
    Sample sample = run(command);
    into.computeIfAbsent(key, k -> new ArrayList<>()).add(sample);
    System.out.printf("cli: %s: %-19s %6.2f s, %6.0f MiB/s, client CPU %5.2f s%n", label, key, sample.seconds(),
      bytes / (double) MIB / sample.seconds(), sample.cpu());
  }

  /**
   * Runs a curl or bin/ferry command; says so when a quiet one wrote to stderr, which a measured
   * command should not (the launcher rebuilding the jars, say).
   */
  private Sample run(List<String> command) throws IOException, InterruptedException {
    boolean curl = command.get(0).equals("curl");
    Sample sample = child.run(command, curl ? Map.of() : ferryEnv);
    String errors = child.errors().strip();
    if (!errors.isEmpty()) {
      System.out.println("cli: note: " + (curl ? "curl" : "bin/ferry") + " wrote to stderr: " + errors.replace("\n", " / "));
    }
    return sample;
  }

  /**
   * Gives {@code file} a new modification time, and so a new change time: bin/ferry keeps the
   * SHA-256 of a file it sent with those, and a put then hashes it as one never sent.
   */
  private static long freshen(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    return System.nanoTime();
  }

  private static void verify(Path file, String sha) throws IOException {
    String got = Transfers.sha256(file);
    if (!got.equals(sha)) {
      throw new IOException(file.getFileName() + " came back with SHA-256 " + got + ", not " + sha);
    }
    Files.delete(file);
  }

  private List<String> ferry(Target target, String... args) {
    List<String> command = new ArrayList<>(List.of(settings.ferry().toString()));
    if (!target.tls()) {
      command.add("--no-tls");
    }
    command.addAll(List.of(args));
    return command;
  }

  /**
   * curl quiet but for errors (--parallel shows its meter despite -s), failing on an HTTP error,
   * never through a proxy from the environment.
   */
  private static List<String> curl(Reference reference, String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--no-progress-meter", "--fail", "--noproxy", "*"));
    command.addAll(reference.curlOptions());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The first command to a server, unmeasured: bin/ferry records its certificate in the run's
   * known_servers (as from a script: accepted with a notice), and the directory of the many files.
   */
  private void firstContact(Target target) throws Exception {
    child.run(ferry(target, "ls", target.at("")), ferryEnv);
    child.run(ferry(target, "mkdir", target.at(HOME + "/" + MANY)), ferryEnv);
  }

  /** Null when bin/ferry put takes {@code -j}, else why not (what it answered). */
  private String jobsMissing(Target target, Path file) throws Exception {
    try {
      child.run(ferry(target, "put", "-q", "-f", "-j", Integer.toString(settings.jobs()), file.toString(),
        target.at(HOME + "/" + MANY)), ferryEnv);
      return null;
    } catch (ChildProcess.CommandFailed e) {
      if (e.status != 2) {
        throw e;
      }
      return "bin/ferry has no -j (" + e.stderr + ")";
    }
  }

  /**
   * vsftpd requiring TLS beside the plain one, for the big file only: how a client that encrypts
   * compares with one that does too. Null, with the reason printed, where it cannot start.
   */
  private Reference tlsReference(Reference plain) throws InterruptedException {
    if (!(plain instanceof VsftpdReference)) {
      System.out.println("cli: no FTP over TLS reference: the reference is not vsftpd");
      return null;
    }
    try {
      Reference tls = VsftpdReference.startTls(work.resolve("reference-tls"));
      System.out.println("cli: reference with TLS: " + tls.description());
      return tls;
    } catch (IOException e) {
      System.out.println("cli: no FTP over TLS reference: " + e.getMessage());
      return null;
    }
  }

  private ServerUnderTest server(String name, Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(settings.serverEnv());
    all.putAll(env);
    return ServerUnderTest.start(settings.serverJar(), work.resolve(name), all, settings.serverJvm());
  }

  private String curlVersion() throws Exception {
    child.run(List.of("curl", "--version"), Map.of());
    return child.output().lines().findFirst().orElse("curl").replaceAll(" \\(.*", "");
  }
}
