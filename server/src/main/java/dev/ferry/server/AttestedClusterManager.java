package dev.ferry.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cluster manager that lets the event bus see only attested members. Hazelcast open source
 * admits any process that reaches its port; this wrapper makes such a member harmless to Vert.x:
 * its handler registrations are dropped before the event bus picks a node to send or publish to,
 * and a connection to it is refused, unless its node metadata carries a certificate of the
 * cluster CA and a signature with that certificate's key over its node id and event-bus address
 * ({@link ClusterCredentials#attest}). This member's own node info is attested the same way.
 */
final class AttestedClusterManager implements ClusterManager {

  private static final System.Logger LOG = System.getLogger(AttestedClusterManager.class.getName());
  /** Verdicts kept at most; past that they are recomputed (a flood of joining rogues cannot grow memory). */
  static final int MAX_VERDICTS = 4096;
  private static final Counter UNATTESTED = Counter.builder("ferry.cluster.unattested.members")
    .description("Cluster members seen without a valid attestation by the cluster CA, and ignored")
    .register(Metrics.globalRegistry);

  private final ClusterManager delegate;
  private final ClusterCredentials credentials;
  private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

  AttestedClusterManager(ClusterManager delegate, ClusterCredentials credentials) {
    this.delegate = delegate;
    this.credentials = credentials;
  }

  @Override
  public void init(Vertx vertx) {
    delegate.init(vertx);
  }

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    delegate.getAsyncMap(name, promise);
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    return delegate.getSyncMap(name);
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    delegate.getLockWithTimeout(name, timeout, promise);
  }

  @Override
  public void getCounter(String name, Completable<io.vertx.core.shareddata.Counter> promise) {
    delegate.getCounter(name, promise);
  }

  @Override
  public String getNodeId() {
    return delegate.getNodeId();
  }

  @Override
  public List<String> getNodes() {
    return delegate.getNodes();
  }

  @Override
  public void nodeListener(NodeListener listener) {
    delegate.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
        listener.nodeAdded(nodeId);
      }

      @Override
      public void nodeLeft(String nodeId) {
        verdicts.remove(nodeId);
        listener.nodeLeft(nodeId);
      }
    });
  }

  /** Publishes this member's node info with its attestation added to the metadata. */
  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    NodeInfo attested = new NodeInfo(nodeInfo.host(), nodeInfo.port(),
      credentials.attest(nodeInfo.metadata(), delegate.getNodeId(), nodeInfo.host(), nodeInfo.port()));
    delegate.setNodeInfo(attested, promise);
  }

  @Override
  public NodeInfo getNodeInfo() {
    return delegate.getNodeInfo();
  }

  /** A member's node info, or a failure for a member that is not attested: the event bus never connects to it. */
  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    delegate.getNodeInfo(nodeId, (info, err) -> {
      if (err != null) {
        promise.fail(err);
      } else if (judge(nodeId, info)) {
        promise.succeed(info);
      } else {
        promise.fail("cluster member " + nodeId + " is not attested by the cluster CA");
      }
    });
  }

  @Override
  public void join(Completable<Void> promise) {
    delegate.join(promise);
  }

  @Override
  public void leave(Completable<Void> promise) {
    delegate.leave(promise);
  }

  @Override
  public boolean isActive() {
    return delegate.isActive();
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    delegate.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsUpdated(RegistrationUpdateEvent event) {
        if (allJudged(event.registrations())) {
          listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(), judged(event.registrations())));
          return;
        }
        // A member not judged yet: judge it, then pass on the registrations as they are by then.
        attested(event.registrations())
          .compose(ignored -> fetchAttested(event.address()))
          .onSuccess(list -> listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(), list)))
          .onFailure(err -> LOG.log(System.Logger.Level.WARNING, "cannot refresh registrations of " + event.address(), err));
      }

      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }

      @Override
      public boolean wantsUpdatesFor(String address) {
        return listener.wantsUpdatesFor(address);
      }
    });
  }

  @Override
  public void addRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.addRegistration(address, registrationInfo, promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.removeRegistration(address, registrationInfo, promise);
  }

  /** The registrations of {@code address} on attested members only. */
  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    fetchAttested(address).onComplete(promise);
  }

  @Override
  public String clusterHost() {
    return delegate.clusterHost();
  }

  @Override
  public String clusterPublicHost() {
    return delegate.clusterPublicHost();
  }

  private Future<List<RegistrationInfo>> fetchAttested(String address) {
    Promise<List<RegistrationInfo>> fetched = Promise.promise();
    delegate.getRegistrations(address, fetched);
    return fetched.future().compose(this::attested);
  }

  /** {@code registrations} without those of members that are not attested, judging new members first. */
  private Future<List<RegistrationInfo>> attested(List<RegistrationInfo> registrations) {
    Set<String> unjudged = new LinkedHashSet<>();
    for (RegistrationInfo registration : registrations) {
      if (!isSelf(registration.nodeId()) && !verdicts.containsKey(registration.nodeId())) {
        unjudged.add(registration.nodeId());
      }
    }
    if (unjudged.isEmpty()) {
      return Future.succeededFuture(judged(registrations));
    }
    List<Future<Boolean>> lookups = new ArrayList<>();
    for (String nodeId : unjudged) {
      Promise<NodeInfo> info = Promise.promise();
      delegate.getNodeInfo(nodeId, info);
      // A member whose node info is not there yet is left out this time, and judged again later.
      lookups.add(info.future().map(found -> judge(nodeId, found)).otherwise(false));
    }
    return Future.join(lookups).transform(ignored -> Future.succeededFuture(judged(registrations)));
  }

  private boolean allJudged(List<RegistrationInfo> registrations) {
    for (RegistrationInfo registration : registrations) {
      if (!isSelf(registration.nodeId()) && !verdicts.containsKey(registration.nodeId())) {
        return false;
      }
    }
    return true;
  }

  /** The registrations of this member and of members judged attested. */
  private List<RegistrationInfo> judged(List<RegistrationInfo> registrations) {
    List<RegistrationInfo> out = new ArrayList<>(registrations.size());
    for (RegistrationInfo registration : registrations) {
      if (isSelf(registration.nodeId()) || Boolean.TRUE.equals(verdicts.get(registration.nodeId()))) {
        out.add(registration);
      }
    }
    return out;
  }

  private boolean judge(String nodeId, NodeInfo info) {
    if (isSelf(nodeId)) {
      return true;
    }
    Boolean known = verdicts.get(nodeId);
    if (known != null) {
      return known;
    }
    if (info == null) {
      return false; // not published yet: no verdict to keep
    }
    boolean attested = credentials.verify(nodeId, info);
    if (verdicts.size() >= MAX_VERDICTS) {
      verdicts.clear();
    }
    if (verdicts.putIfAbsent(nodeId, attested) == null && !attested) {
      UNATTESTED.increment();
      LOG.log(System.Logger.Level.WARNING, "cluster member " + nodeId + " (event bus " + info.host() + ":" + info.port()
        + ") is not attested by the cluster CA: ignored, no message goes to it");
    }
    return attested;
  }

  private boolean isSelf(String nodeId) {
    return nodeId.equals(delegate.getNodeId());
  }
}
