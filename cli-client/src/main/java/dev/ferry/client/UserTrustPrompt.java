package dev.ferry.client;

import dev.ferry.client.net.TrustPrompt;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * Trust on first use as the user sees it: on a terminal a new server's fingerprint is shown and
 * the user decides; from a script it is accepted and recorded with a notice on stderr (as
 * {@code ssh -o StrictHostKeyChecking=accept-new}). A changed certificate is never accepted
 * here: only {@code --accept-new-certificate} does that.
 */
final class UserTrustPrompt implements TrustPrompt {

  private static final Set<String> YES = Set.of("y", "yes", "是");

  private final Prompter prompter;
  private final PrintStream err;
  private final Messages messages;
  private final String knownServersFile;

  UserTrustPrompt(Prompter prompter, PrintStream err, Messages messages, String knownServersFile) {
    this.prompter = prompter;
    this.err = err;
    this.messages = messages;
    this.knownServersFile = knownServersFile;
  }

  @Override
  public boolean trustNewServer(String serverKey, String fingerprint) {
    if (!prompter.interactive()) {
      err.println(messages.get("certificate.new-recorded", serverKey, fingerprint, knownServersFile));
      return true;
    }
    err.println(messages.get("certificate.new", serverKey, fingerprint));
    err.flush();
    String answer = prompter.ask(messages.get("certificate.accept"));
    return answer != null && YES.contains(answer.strip().toLowerCase(Locale.ROOT));
  }

  @Override
  public void replacedCertificate(String serverKey, String recorded, String presented) {
    err.println(messages.get("certificate.replaced", serverKey, recorded, presented, knownServersFile));
  }
}
