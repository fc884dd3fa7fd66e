package dev.ferry.client.shell;

import dev.ferry.client.Prompter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Lines from a pipe or file (a script): no prompts are printed, so the output holds only results,
 * and a secret is simply the next line.
 */
public final class StreamPrompter implements Prompter {

  private final BufferedReader reader;

  public StreamPrompter(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  @Override
  public boolean interactive() {
    return false;
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String readSecret(String prompt) {
    return readLine(prompt);
  }
}
