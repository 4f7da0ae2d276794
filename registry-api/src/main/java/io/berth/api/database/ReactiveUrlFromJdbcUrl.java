package io.berth.api.database;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

/**
 * One database URL for operators to set: {@code quarkus.datasource.jdbc.url}, which Flyway's
 * migrations at start-up use. The reactive pool that serves every request connects to the same
 * database, so unless {@code quarkus.datasource.reactive.url} is set as well it is derived from the
 * JDBC URL ({@code jdbc:postgresql://host:5432/berth?...} becomes {@code postgresql://host:5432/berth?...}).
 */
@Priority(100)
public class ReactiveUrlFromJdbcUrl implements ConfigSourceInterceptor {
    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String JDBC_PREFIX = "jdbc:";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !REACTIVE_URL.equals(name)) {
            return value;
        }
        ConfigValue jdbc = context.proceed(JDBC_URL);
        if (jdbc == null || jdbc.getValue() == null || !jdbc.getValue().startsWith(JDBC_PREFIX)) {
            return null;
        }
        return jdbc.withName(REACTIVE_URL).withValue(reactiveUrl(jdbc.getValue()));
    }

    static String reactiveUrl(String jdbcUrl) {
        return jdbcUrl.substring(JDBC_PREFIX.length());
    }
}
