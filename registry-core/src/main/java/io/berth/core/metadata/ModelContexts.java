package io.berth.core.metadata;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Where Hibernate Reactive work runs: a Vert.x context of its own for each unit, which the runtime
 * accepts for reactive sessions. One context per unit means two units never share a session (a
 * session found on the current context would otherwise be reused), and work started from a timer,
 * a start-up hook or a finished request can open sessions like work started by a request.
 */
public interface ModelContexts {
    <T> Future<T> onOwnContext(Supplier<Future<T>> work);
}
