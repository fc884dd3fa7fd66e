/**
 * auth-service: accounts, password hashes, login lockout and the session tokens every other
 * service checks. {@link dev.ferry.auth.AuthVerticle} serves {@link dev.ferry.protocol.bus.AuthApi}
 * at {@link dev.ferry.protocol.bus.Addresses#AUTH}.
 *
 * <p>Config keys it reads (defaults in {@link dev.ferry.auth.AuthOptions}): {@code data},
 * {@code tokenPrivateKey} and {@code tokenPublicKeys} (PEM texts, required),
 * {@code tokenTtlSeconds}, {@code adminPassword} (first start only; 8+ characters; generated and printed once when absent),
 * {@code pbkdf2Iterations} (210000; lower it in tests only), {@code lockoutThreshold} (5),
 * {@code lockoutSeconds} (900), {@code hashThreads} (0 = half the processors), {@code hashQueue}
 * (32), {@code loginFailuresPerAddress} (30 a minute; 0 = no limit), {@code accountStore},
 * {@code databaseUrl}, {@code databasePassword}, {@code databasePasswordFile}
 * ({@link dev.ferry.auth.db.DatabaseOptions}).
 *
 * <p>Parts: {@code AccountStore}, either {@code FileAccountStore} over {@code AccountsFile}
 * ({@code users.json}, atomic serialised writes) or {@code PgAccountStore} (the shared database,
 * {@link dev.ferry.auth.db.AccountDatabase}); {@code PasswordHasher} (PBKDF2 on a bounded executor
 * of its own); {@code Lockouts}, either {@code MemoryLockouts} over {@code FailureLedger} (lockout
 * arithmetic) or {@code PgLockouts}; {@code AddressFailureLedger} (failed logins per client address),
 * {@code LoginActions} and {@code AccountActions} (the bus actions), {@code FirstAdmin}.
 */
package dev.ferry.auth;
