package io.eddy.ops.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Checks up front that Kafka answers, so that a command pointed at the wrong address fails within
 * its timeout with one clear line instead of retrying for minutes inside a client.
 */
public final class KafkaReachability {
    private KafkaReachability() {
    }

    /**
     * Returns once the cluster answered a metadata request.
     *
     * @throws KafkaUnreachableException when it did not within {@code timeout}, or no bootstrap address
     *     resolves
     */
    public static void require(final Map<String, Object> clientProperties, final Duration timeout) {
        final Object servers = clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        final long millis = Math.max(1, timeout.toMillis());
        final Map<String, Object> props = new HashMap<>(clientProperties);
        // the client's own timeouts must not outlast ours, or close() would wait for them
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, millis));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, millis));
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().clusterId().get(millis, TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            throw unreachable(servers, timeout, e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(servers, timeout, e.getCause());
            }
            // refused credentials and the like: the cluster is there but will not serve this client
            throw new KafkaUnreachableException("cannot use Kafka at " + servers + ": " + rootMessage(e), e);
        } catch (final KafkaException e) {
            // e.g. "No resolvable bootstrap urls": the address itself is wrong
            throw new KafkaUnreachableException("cannot reach Kafka at " + servers + ": " + rootMessage(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(servers, timeout, e);
        }
    }

    /** The exception for a client call that timed out reaching {@code servers}. */
    public static KafkaUnreachableException unreachable(final Object servers, final Duration timeout,
                                                        final Throwable cause) {
        return new KafkaUnreachableException("cannot reach Kafka at " + servers + " within " + seconds(timeout)
                + " (--timeout): is a broker running there?", cause);
    }

    private static String seconds(final Duration timeout) {
        final long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    private static String rootMessage(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
