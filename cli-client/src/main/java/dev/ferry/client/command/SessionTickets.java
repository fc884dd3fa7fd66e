package dev.ferry.client.command;

import java.util.regex.Pattern;

/**
 * The session ticket the connections of one parallel transfer share (PROTOCOL.md, {@code ticket}
 * and {@code ticket_login}): extra connections log in with it instead of the password. Once the
 * server refused it (expired, say), no connection tries it again: the next one logs in with the
 * password and asks for a fresh ticket, so a refused ticket costs one failed login, not one per
 * connection. Thread-safe: the connections of a transfer log in from their own threads.
 */
public final class SessionTickets {

  /** PROTOCOL.md: at most 512 characters of {@code A-Z a-z 0-9 - _ .}, always with a {@code .}. */
  private static final Pattern TICKET = Pattern.compile("(?=.*\\.)[A-Za-z0-9._-]{1,512}");

  private final boolean supported;
  private String current;

  /** @param first the ticket the first connection got, or null: the server gives none, so none is asked for again */
  public SessionTickets(String first) {
    this.supported = first != null;
    this.current = first;
  }

  /** Whether an answer to {@code ticket} is a ticket, not a refusal such as {@code UNKNOWN_COMMAND}. */
  public static boolean isTicket(String reply) {
    return TICKET.matcher(reply).matches();
  }

  /** The ticket to log in with, or null: log in with the password. */
  public synchronized String current() {
    return current;
  }

  /** The server refused {@code ticket}: it is not used again. */
  public synchronized void refused(String ticket) {
    if (ticket.equals(current)) {
      current = null;
    }
  }

  /** Whether a connection that logged in with the password should ask for a fresh ticket. */
  public synchronized boolean wanted() {
    return supported && current == null;
  }

  /** A fresh ticket, for the connections after this one. */
  public synchronized void offer(String ticket) {
    if (current == null) {
      current = ticket;
    }
  }
}
